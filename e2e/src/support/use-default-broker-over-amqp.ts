import { afterAll, beforeAll } from '@jest/globals';
import { join } from 'node:path';
import { AmqpTestClient, BrokerProcess, killAllBrokers } from '@tessera/testing';
import { makeTempDir, removeTempDir } from './temp-dir';

export interface DefaultBrokerOverAmqp {
  broker(): BrokerProcess;
  /** A new AMQP connection to the broker, closed after the describe block. */
  client(): Promise<AmqpTestClient>;
}

/**
 * Call inside a describe block: a `tessera start` of the default distribution (every front on a
 * free port) runs for the block's tests, and every AMQP client it handed out is closed after them.
 */
export function useDefaultBrokerOverAmqp(timeoutMs: number): DefaultBrokerOverAmqp {
  let dir: string;
  let broker: BrokerProcess | undefined;
  const clients: AmqpTestClient[] = [];

  beforeAll(async () => {
    dir = makeTempDir();
    broker = await BrokerProcess.start({ dataDir: join(dir, 'data'), cwd: dir });
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  return {
    broker: () => broker!,
    client: async () => {
      const connected = await AmqpTestClient.connect({ port: broker!.amqpPort!, timeoutMs });
      clients.push(connected);
      return connected;
    },
  };
}
