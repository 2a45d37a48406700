import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import {
  createBroker,
  createLogger,
  ErrorCode,
  SystemProperties,
  type Broker,
  type BrokerRuntime,
  type ProduceResult,
  type TransactionCheck,
} from '@tessera/kernel';
import { memoryStoragePlugin } from '@tessera/testing';
import type { FeatureTransactionOptions } from './feature-transaction-options';
import { featureTransactionPlugin } from './feature-transaction-plugin';
import { TransactionService } from './transaction-service';

const GROUP = 'pg';

describe('TransactionService on a real kernel', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let broker: Broker;
  const logger = createLogger({ level: 'silent' });

  async function start(options: Partial<FeatureTransactionOptions> = {}, withPlugin = true): Promise<void> {
    runtime = createBroker({
      broker: { dataDir, defaultQueueCount: 4 },
      plugins: withPlugin
        ? [memoryStoragePlugin, coordinationLocalPlugin, { plugin: featureTransactionPlugin, options: { transactionTimeoutMs: 60_000, ...options } }]
        : [memoryStoragePlugin, coordinationLocalPlugin],
      logger,
    });
    await runtime.start();
    broker = runtime.broker;
  }

  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'tessera-transaction-'))));
  afterEach(async () => {
    jest.restoreAllMocks();
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function sendHalf(transactionId: string, body = transactionId, queueId?: number): Promise<ProduceResult> {
    const [result] = await broker.produce(
      [{
        topic: 'orders',
        queueId,
        body: Buffer.from(body),
        tag: 'TagA',
        keys: ['k-' + transactionId],
        properties: { [SystemProperties.TRANSACTION_PREPARED]: 'true', [SystemProperties.TRANSACTION_ID]: transactionId, user: 'u' },
      }],
      { protocol: 'internal', producerGroup: GROUP },
    );
    return result!;
  }

  async function visible(topic = 'orders'): Promise<Array<{ body: string; queueId: number; properties: Readonly<Record<string, string>> }>> {
    const found = [];
    for (let queueId = 0; queueId < 4; queueId++) {
      const read = await broker.pull({ topic, queueId, offset: 0, maxCount: 1000, maxBytes: 1 << 20 });
      found.push(...read.messages.map((m) => ({ body: m.body.toString(), queueId: m.queueId, properties: m.properties })));
    }
    return found;
  }

  function openCount(): number {
    return runtime.container.get(TransactionService).openTransactionCount;
  }

  const end = (halfMsgId: string, transactionId: string, decision: 'COMMIT' | 'ROLLBACK' | 'UNKNOWN', fromCheck = false) =>
    broker.endTransaction({ producerGroup: GROUP, transactionId, halfMsgId, decision, fromCheck });

  it('keeps a half message from consumers, and a commit publishes it once on its real topic and queue', async () => {
    await start();
    const half = await sendHalf('tx-1', 'payload', 2);
    expect(await visible()).toEqual([]);
    await end(half.msgId, 'tx-1', 'COMMIT');
    await end(half.msgId, 'tx-1', 'COMMIT');
    await end(half.msgId, 'tx-1', 'ROLLBACK');
    const [committed, ...others] = await visible();
    expect(others).toEqual([]);
    expect(committed).toEqual({
      body: 'payload',
      queueId: 2,
      properties: {
        user: 'u',
        [SystemProperties.TRANSACTION_ID]: 'tx-1',
        [SystemProperties.PRODUCER_GROUP]: GROUP,
        [SystemProperties.TRANSACTION_HALF_MSG_ID]: half.msgId,
      },
    });
    const read = await broker.pull({ topic: 'orders', queueId: 2, offset: 0, maxCount: 1, maxBytes: 1 << 20 });
    expect(read.messages[0]).toMatchObject({ tag: 'TagA', keys: ['k-tx-1'] });
    expect(openCount()).toBe(0);
  });

  it('stores one message when the same commit arrives twice at once', async () => {
    await start();
    const half = await sendHalf('tx-1');
    await Promise.all([end(half.msgId, 'tx-1', 'COMMIT'), end(half.msgId, 'tx-1', 'COMMIT'), end(half.msgId, 'tx-1', 'ROLLBACK')]);
    expect((await visible()).map((m) => m.body)).toEqual(['tx-1']);
  });

  it('never publishes a rolled-back half, whatever comes after', async () => {
    await start();
    const half = await sendHalf('tx-1');
    await end(half.msgId, 'tx-1', 'UNKNOWN');
    expect(openCount()).toBe(1);
    await end(half.msgId, 'tx-1', 'ROLLBACK');
    await end(half.msgId, 'tx-1', 'COMMIT', true);
    expect(await visible()).toEqual([]);
    expect(openCount()).toBe(0);
  });

  it('refuses bad requests with a code that says why', async () => {
    await start({ maxOpenTransactions: 2 });
    const half = await sendHalf('tx-1');
    const produceHalf = (properties: Record<string, string>, producerGroup?: string) =>
      broker.produce([{ topic: 'orders', body: Buffer.from('x'), properties }], { protocol: 'internal', producerGroup });
    await expect(produceHalf({ [SystemProperties.TRANSACTION_PREPARED]: 'true' }, GROUP)).rejects.toMatchObject({
      code: ErrorCode.BAD_REQUEST,
      message: expect.stringMatching(/transaction id/),
    });
    await expect(produceHalf({ [SystemProperties.TRANSACTION_PREPARED]: 'true', [SystemProperties.TRANSACTION_ID]: 't' })).rejects.toMatchObject({
      code: ErrorCode.BAD_REQUEST,
      message: expect.stringMatching(/producer group/),
    });
    await expect(end(half.msgId, 'tx-other', 'COMMIT')).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await expect(broker.endTransaction({ producerGroup: 'other', transactionId: 'tx-1', halfMsgId: half.msgId, decision: 'COMMIT', fromCheck: false })).rejects.toMatchObject({
      code: ErrorCode.BAD_REQUEST,
    });
    const [plain] = await broker.produce([{ topic: 'orders', body: Buffer.from('plain') }], { protocol: 'internal' });
    await expect(end(plain!.msgId, 'tx-1', 'COMMIT')).rejects.toMatchObject({ code: ErrorCode.MESSAGE_NOT_FOUND });
    await expect(end('not-an-id', 'tx-1', 'COMMIT')).rejects.toMatchObject({ code: ErrorCode.MESSAGE_NOT_FOUND });
    await expect(end(half.msgId, '', 'COMMIT')).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await expect(broker.pollTransactionChecks({ producerGroup: GROUP, clientId: '', maxWaitMs: 0 })).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });

    await sendHalf('tx-2');
    await expect(sendHalf('tx-3')).rejects.toMatchObject({ code: ErrorCode.SYSTEM_BUSY, message: expect.stringMatching(/maxOpenTransactions/) });
    await end(half.msgId, 'tx-1', 'ROLLBACK');
    await expect(sendHalf('tx-3')).resolves.toBeDefined();
    expect(await visible()).toEqual([{ body: 'plain', queueId: expect.any(Number), properties: {} }]);
  });

  it('is refused as not supported when no transaction plugin is loaded', async () => {
    await start({}, false);
    await expect(broker.endTransaction({ producerGroup: GROUP, transactionId: 't', halfMsgId: 'x', decision: 'COMMIT', fromCheck: false })).rejects.toMatchObject({
      code: ErrorCode.REQUEST_CODE_NOT_SUPPORTED,
      message: 'no transaction plugin is loaded (feature-transaction)',
    });
    await expect(broker.pollTransactionChecks({ producerGroup: GROUP, clientId: 'c', maxWaitMs: 0 })).rejects.toMatchObject({
      code: ErrorCode.REQUEST_CODE_NOT_SUPPORTED,
    });
  });

  it('checks an undecided half back through a live producer of its group, and takes its answer', async () => {
    await start({ transactionTimeoutMs: 100, checkIntervalMs: 100 });
    const poll = broker.pollTransactionChecks({ producerGroup: GROUP, clientId: 'p1', maxWaitMs: 5_000 });
    const sentAt = Date.now();
    const half = await sendHalf('tx-1', 'payload', 1);
    const checks = await poll;
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(100);
    expect(checks).toEqual([
      expect.objectContaining({
        transactionId: 'tx-1',
        halfMsgId: half.msgId,
        message: expect.objectContaining({ msgId: half.msgId, topic: 'orders', queueId: 1, body: Buffer.from('payload') }),
      }),
    ]);
    await end(half.msgId, 'tx-1', 'COMMIT', true);
    expect((await visible()).map((m) => m.body)).toEqual(['payload']);
  });

  it('sends each check to one live producer at a time, round robin, and none to a producer whose poll was aborted', async () => {
    await start({ transactionTimeoutMs: 50, checkIntervalMs: 50, checkMax: 100 });
    const half = await sendHalf('tx-1');
    const checkedBy: string[] = [];
    const gone = new AbortController();
    const goneProducer = broker.pollTransactionChecks({ producerGroup: GROUP, clientId: 'gone', maxWaitMs: 10_000, signal: gone.signal });
    gone.abort();
    expect(await goneProducer).toEqual([]);
    const pollLoop = async (clientId: string) => {
      const deadline = Date.now() + 3_000;
      while (checkedBy.length < 6 && Date.now() < deadline) {
        const checks: TransactionCheck[] = await broker.pollTransactionChecks({ producerGroup: GROUP, clientId, maxWaitMs: 200 });
        for (const check of checks) if (check.halfMsgId === half.msgId) checkedBy.push(clientId);
      }
    };
    await Promise.all([pollLoop('p1'), pollLoop('p2')]);
    expect(checkedBy.length).toBeGreaterThanOrEqual(6);
    expect(new Set(checkedBy)).toEqual(new Set(['p1', 'p2']));
    for (let i = 1; i < checkedBy.length; i++) expect(checkedBy[i]).not.toBe(checkedBy[i - 1]);
  });

  it('rolls back a half nobody decides after checkMax checks, and logs it', async () => {
    const warn = jest.spyOn(logger, 'warn');
    await start({ transactionTimeoutMs: 20, checkIntervalMs: 20, checkMax: 3 });
    const checked: string[] = [];
    const half = await sendHalf('tx-1');
    const deadline = Date.now() + 5_000;
    while (warn.mock.calls.length === 0 && Date.now() < deadline) {
      for (const check of await broker.pollTransactionChecks({ producerGroup: GROUP, clientId: 'p1', maxWaitMs: 100 })) checked.push(check.halfMsgId);
    }
    expect(openCount()).toBe(0);
    expect(checked).toEqual([half.msgId, half.msgId, half.msgId]);
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({ transactionId: 'tx-1', producerGroup: GROUP, halfMsgId: half.msgId, checks: 3 }),
      'rolled back a transaction still undecided after checkMax checks',
    );
    await end(half.msgId, 'tx-1', 'COMMIT', true);
    expect(await visible()).toEqual([]);
  });

  it('answers a held poll when the broker stops', async () => {
    await start();
    const poll = broker.pollTransactionChecks({ producerGroup: GROUP, clientId: 'p1', maxWaitMs: 30_000 });
    const stoppedAt = Date.now();
    await runtime.stop();
    expect(await poll).toEqual([]);
    expect(Date.now() - stoppedAt).toBeLessThan(1_000);
  });
});
