import { join } from 'node:path';
import { BrokerProcess, freePort } from '@tessera/testing';
import { writeDistributionConfig, type DistributionOptions } from './write-distribution-config';

export interface MqttBroker {
  broker: BrokerProcess;
  mqttPort: number;
  wsPort: number;
}

/**
 * A `tessera start` process with the MQTT plugin on free ports (native on `broker.port`); `more`
 * adds the config's `security` section (the broker's users) and plugins after the MQTT one.
 */
export async function startMqttBroker(
  dir: string,
  mqttOptions: Record<string, unknown> = {},
  ports?: { mqttPort: number; wsPort: number; nativePort: number },
  more: Pick<DistributionOptions, 'security' | 'extraPlugins'> & { alsoListeningOn?: readonly number[] } = {},
): Promise<MqttBroker> {
  const mqttPort = ports?.mqttPort ?? (await freePort());
  const wsPort = ports?.wsPort ?? (await freePort());
  const configFile = writeDistributionConfig(dir, 'mqtt', {
    security: more.security,
    extraPlugins: [{ name: '@tessera/protocol-mqtt', options: { host: '127.0.0.1', port: mqttPort, wsPort, ...mqttOptions } }, ...(more.extraPlugins ?? [])],
  });
  const broker = await BrokerProcess.start({
    dataDir: join(dir, 'data'),
    cwd: dir,
    configFile,
    port: ports?.nativePort,
    alsoListeningOn: [mqttPort, ...(more.alsoListeningOn ?? [])],
  });
  return { broker, mqttPort, wsPort };
}
