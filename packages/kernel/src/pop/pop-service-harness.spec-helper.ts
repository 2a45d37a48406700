import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { MemoryStorageEngine } from '@tessera/testing';
import type { Broker } from '../broker/broker';
import type { BrokerRuntime } from '../broker/broker-runtime';
import { createBroker } from '../broker/create-broker';
import type { BrokerSettings } from '../config/broker-settings';
import { MessageHooks } from '../hooks/message-hooks';
import { createLogger } from '../logging/logger';
import type { TesseraPlugin } from '../plugin/tessera-plugin';
import { ReplicationDriver } from '../replication/replication-driver';
import { StorageEngine, type AppendMessage, type AppendResult } from '../storage/storage-engine';
import type { LeasedMessage } from './leased-message';
import { PopService } from './pop-service';
import type { ReceiveRequest } from './receive-request';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const keyOf = (leased: LeasedMessage) => `${leased.message.queueId}:${leased.message.queueOffset}`;
export const where = (leased: readonly LeasedMessage[]) => leased.map(keyOf);
export const bodies = (leased: readonly LeasedMessage[]) => leased.map((m) => m.message.body.toString());

export function hooksPlugin(hooks: MessageHooks): TesseraPlugin {
  return {
    name: 'test-hooks',
    kind: 'feature',
    createModule: () => new ContainerModule(({ bind }) => void bind(MessageHooks).toConstantValue(hooks)),
  };
}

/** A replication driver whose appends go through `append` (to fail or hold some), for the journal's failure paths. */
export function replicationPlugin(append: (messages: readonly AppendMessage[]) => Promise<AppendResult[]>): TesseraPlugin {
  return {
    name: 'test-replication',
    kind: 'replication',
    createModule: () =>
      new ContainerModule(({ bind }) => {
        bind(ReplicationDriver).toConstantValue({
          name: 'test-replication',
          start: async () => undefined,
          stop: async () => undefined,
          isWritable: () => true,
          append,
        });
      }),
  };
}

/**
 * Brokers for PopService specs: a fresh data dir and in-memory engine per test, shared by every
 * runtime of the test (so a second runtime recovers what the first wrote), all stopped after it.
 */
export function popServiceHarness() {
  let dataDir = '';
  let engine = new MemoryStorageEngine();
  const runtimes: BrokerRuntime[] = [];
  const sharedMemoryStorage = (): TesseraPlugin => ({
    name: 'shared-memory-storage',
    kind: 'storage',
    createModule: () => new ContainerModule(({ bind }) => void bind(StorageEngine).toConstantValue(engine)),
  });

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-pop-'));
    engine = new MemoryStorageEngine();
  });

  afterEach(async () => {
    for (const runtime of runtimes.splice(0).reverse()) await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  return {
    dataDir: () => dataDir,
    engine: () => engine,
    /** Swaps the engine the next runtime starts on, e.g. for one whose log lost its tail. */
    replaceEngine: (next: MemoryStorageEngine) => void (engine = next),
    start: async (settings: Partial<BrokerSettings> = {}, extraPlugins: TesseraPlugin[] = [], storage: TesseraPlugin = sharedMemoryStorage()) => {
      const runtime = createBroker({
        broker: { dataDir, ...settings },
        plugins: [storage, coordinationLocalPlugin, ...extraPlugins],
        logger: createLogger({ level: 'silent' }),
      });
      runtimes.push(runtime);
      await runtime.start();
      return { runtime, broker: runtime.broker, pop: runtime.container.get(PopService) };
    },
    produce: (broker: Broker, topic: string, count: number, queueId?: number, tag?: (i: number) => string) =>
      broker.produce(
        Array.from({ length: count }, (_, i) => ({ topic, queueId, body: Buffer.from(`m${i}`), tag: tag?.(i) })),
        { protocol: 'internal' },
      ),
    request: (overrides: Partial<ReceiveRequest> = {}): ReceiveRequest => ({
      group: 'g',
      topic: 't',
      clientId: 'c1',
      maxCount: 32,
      invisibleMs: 30_000,
      ...overrides,
    }),
  };
}
