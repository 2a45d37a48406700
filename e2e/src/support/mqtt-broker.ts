import { join } from 'node:path';
import { BrokerProcess, freePort } from '@tessera/testing';
import { writeDistributionConfig } from './write-distribution-config';

export interface MqttBroker {
  broker: BrokerProcess;
  mqttPort: number;
  wsPort: number;
}

/** A `tessera start` process with the MQTT plugin on free ports (native on `broker.port`). */
export async function startMqttBroker(
  dir: string,
  mqttOptions: Record<string, unknown> = {},
  ports?: { mqttPort: number; wsPort: number; nativePort: number },
): Promise<MqttBroker> {
  const mqttPort = ports?.mqttPort ?? (await freePort());
  const wsPort = ports?.wsPort ?? (await freePort());
  const configFile = writeDistributionConfig(dir, 'mqtt', {
    extraPlugins: [{ name: '@tessera/protocol-mqtt', options: { host: '127.0.0.1', port: mqttPort, wsPort, ...mqttOptions } }],
  });
  const broker = await BrokerProcess.start({ dataDir: join(dir, 'data'), cwd: dir, configFile, port: ports?.nativePort });
  return { broker, mqttPort, wsPort };
}
