import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, createLogger, StorageEngine, SystemProperties, type Broker, type BrokerRuntime, type TesseraPlugin } from '@tessera/kernel';
import { MemoryStorageEngine } from '@tessera/testing';
import type { FeatureTransactionOptions } from './feature-transaction-options';
import { featureTransactionPlugin } from './feature-transaction-plugin';
import { TransactionService } from './transaction-service';

const GROUP = 'pg';

describe('transactions across a broker restart', () => {
  let dataDir: string;
  let checkpointFile: string;
  let engine: MemoryStorageEngine;
  let runtime: BrokerRuntime | undefined;

  /** The same in-memory log under every broker of a test, as a log on disk would be. */
  const sharedStorage: TesseraPlugin<Record<string, never>> = {
    name: 'shared-memory-storage',
    kind: 'storage',
    createModule: () => new ContainerModule(({ bind }) => void bind(StorageEngine).toConstantValue(engine)),
  };

  async function start(options: Partial<FeatureTransactionOptions>): Promise<Broker> {
    runtime = createBroker({
      broker: { dataDir, defaultQueueCount: 1 },
      plugins: [sharedStorage, coordinationLocalPlugin, { plugin: featureTransactionPlugin, options }],
      logger: createLogger({ level: 'silent' }),
    });
    await runtime.start();
    return runtime.broker;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-transaction-recovery-'));
    checkpointFile = join(dataDir, 'metadata', 'transaction-state.json');
    engine = new MemoryStorageEngine();
  });

  afterEach(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const sendHalf = async (broker: Broker, transactionId: string) => {
    const properties = { [SystemProperties.TRANSACTION_PREPARED]: 'true', [SystemProperties.TRANSACTION_ID]: transactionId };
    const [result] = await broker.produce([{ topic: 'orders', body: Buffer.from(transactionId), properties }], { protocol: 'internal', producerGroup: GROUP });
    return result!.msgId;
  };

  const end = (broker: Broker, transactionId: string, halfMsgId: string, decision: 'COMMIT' | 'ROLLBACK') =>
    broker.endTransaction({ producerGroup: GROUP, transactionId, halfMsgId, decision, fromCheck: false });

  async function visibleBodies(broker: Broker): Promise<string[]> {
    const read = await broker.pull({ topic: 'orders', queueId: 0, offset: 0, maxCount: 100, maxBytes: 1 << 20 });
    return read.messages.map((m) => m.body.toString());
  }

  async function waitForCheckpointListing(transactionIds: string[]): Promise<string> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const text = existsSync(checkpointFile) ? readFileSync(checkpointFile, 'utf8') : '';
      const listed = text ? (JSON.parse(text) as { open: Array<[number, string, string]> }).open.map((entry) => entry[2]) : [];
      if (JSON.stringify(listed) === JSON.stringify(transactionIds)) return text;
      if (Date.now() > deadline) throw new Error(`the checkpoint lists ${JSON.stringify(listed)}, not ${JSON.stringify(transactionIds)}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /**
   * Before the checkpoint: tx-a committed, tx-b rolled back, tx-c open. After it: tx-c committed,
   * tx-d sent and left open, tx-e sent and rolled back. Returns the checkpoint's text.
   */
  async function runTransactionsAroundACheckpoint(): Promise<{ checkpoint: string; openHalf: string }> {
    const broker = await start({ transactionTimeoutMs: 60_000, checkpointIntervalMs: 10 });
    await end(broker, 'tx-a', await sendHalf(broker, 'tx-a'), 'COMMIT');
    await end(broker, 'tx-b', await sendHalf(broker, 'tx-b'), 'ROLLBACK');
    const halfC = await sendHalf(broker, 'tx-c');
    const checkpoint = await waitForCheckpointListing(['tx-c']);
    await end(broker, 'tx-c', halfC, 'COMMIT');
    const openHalf = await sendHalf(broker, 'tx-d');
    await end(broker, 'tx-e', await sendHalf(broker, 'tx-e'), 'ROLLBACK');
    expect(await visibleBodies(broker)).toEqual(['tx-a', 'tx-c']);
    await runtime!.stop();
    return { checkpoint, openHalf };
  }

  async function expectOnlyOpenHalfCheckedThenCommitted(openHalf: string): Promise<void> {
    const broker = await start({ transactionTimeoutMs: 20, checkIntervalMs: 20 });
    expect(runtime!.container.get(TransactionService).openTransactionCount).toBe(1);
    const checks = await broker.pollTransactionChecks({ producerGroup: GROUP, clientId: 'p2', maxWaitMs: 5_000 });
    expect(checks.map((c) => [c.transactionId, c.halfMsgId])).toEqual([['tx-d', openHalf]]);
    await broker.endTransaction({ producerGroup: GROUP, transactionId: 'tx-d', halfMsgId: openHalf, decision: 'COMMIT', fromCheck: true });
    expect(await visibleBodies(broker)).toEqual(['tx-a', 'tx-c', 'tx-d']);
  }

  it('rebuilds the open transactions after a clean stop', async () => {
    const { openHalf } = await runTransactionsAroundACheckpoint();
    await expectOnlyOpenHalfCheckedThenCommitted(openHalf);
  });

  it('rebuilds them from an older checkpoint and the logs written after it, as a crash leaves them', async () => {
    const { checkpoint, openHalf } = await runTransactionsAroundACheckpoint();
    writeFileSync(checkpointFile, checkpoint);
    await expectOnlyOpenHalfCheckedThenCommitted(openHalf);
  });

  it('rebuilds them from the logs alone when there is no checkpoint', async () => {
    const { openHalf } = await runTransactionsAroundACheckpoint();
    rmSync(checkpointFile);
    await expectOnlyOpenHalfCheckedThenCommitted(openHalf);
  });

  it('keeps counting checks across a restart', async () => {
    let broker = await start({ transactionTimeoutMs: 10, checkIntervalMs: 10, checkMax: 100, checkpointIntervalMs: 10 });
    const half = await sendHalf(broker, 'tx-1');
    for (let polls = 0; polls < 3; polls++) {
      expect(await broker.pollTransactionChecks({ producerGroup: GROUP, clientId: 'p1', maxWaitMs: 2_000 })).toHaveLength(1);
    }
    await runtime!.stop();
    const checksBefore = (JSON.parse(readFileSync(checkpointFile, 'utf8')) as { open: number[][] }).open[0]![5]!;
    expect(checksBefore).toBeGreaterThanOrEqual(3);

    broker = await start({ transactionTimeoutMs: 10, checkIntervalMs: 10, checkMax: checksBefore + 1 });
    const service = runtime!.container.get(TransactionService);
    const checkedAfterRestart: string[] = [];
    const deadline = Date.now() + 3_000;
    while (service.openTransactionCount > 0 && Date.now() < deadline) {
      for (const check of await broker.pollTransactionChecks({ producerGroup: GROUP, clientId: 'p1', maxWaitMs: 50 })) {
        checkedAfterRestart.push(check.halfMsgId);
      }
    }
    expect(service.openTransactionCount).toBe(0);
    expect(checkedAfterRestart).toEqual([half]);
  });
});
