import { join } from 'node:path';
import { BrokerProcess, freePort } from '@tessera/testing';
import { writeDistributionConfig, type DistributionOptions } from './write-distribution-config';

export interface AmqpBroker {
  broker: BrokerProcess;
  amqpPort: number;
}

export interface AmqpBrokerOptions {
  amqp?: Record<string, unknown>;
  broker?: Record<string, unknown>;
  security?: DistributionOptions['security'];
  /** Restart on the same addresses. */
  ports?: { amqpPort: number; nativePort: number };
}

/**
 * A `tessera start` process with the AMQP plugin on a free port (native on `broker.port`), with
 * feature-delay and feature-retry so outcomes can retry and dead-letter.
 */
export async function startAmqpBroker(dir: string, options: AmqpBrokerOptions = {}): Promise<AmqpBroker> {
  const amqpPort = options.ports?.amqpPort ?? (await freePort());
  const configFile = writeDistributionConfig(dir, 'amqp', {
    broker: options.broker,
    store: { flushMode: 'SYNC' },
    security: options.security,
    extraPlugins: [
      { name: '@tessera/protocol-amqp', options: { host: '127.0.0.1', port: amqpPort, ...options.amqp } },
      { name: '@tessera/feature-delay' },
      { name: '@tessera/feature-retry' },
    ],
  });
  const broker = await BrokerProcess.start({ dataDir: join(dir, 'data'), cwd: dir, configFile, port: options.ports?.nativePort, alsoListeningOn: [amqpPort] });
  return { broker, amqpPort };
}
