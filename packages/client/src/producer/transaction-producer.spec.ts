import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { featureTransactionPlugin } from '@tessera/feature-transaction';
import { createBroker, SystemProperties, type BrokerRuntime } from '@tessera/kernel';
import { protocolNativePlugin } from '@tessera/protocol-native';
import { memoryStoragePlugin } from '@tessera/testing';
import { PullConsumer } from '../consumer/pull-consumer';
import { BrokerError } from '../errors/broker-error';
import { startTestBroker } from '../testing/start-test-broker';
import { waitFor } from '../testing/wait-for';
import { TransactionProducer, TRANSACTION_PROPERTIES } from './transaction-producer';
import type { LocalTransactionState, TransactionCheckRequest } from './transaction-producer-options';

const TOPIC = 'orders';

describe('TransactionProducer', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let server: string;
  let reader: PullConsumer;
  const clients: Array<{ shutdown(): Promise<void> }> = [];

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-client-transaction-'));
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', defaultQueueCount: 2 },
      plugins: [
        memoryStoragePlugin,
        coordinationLocalPlugin,
        { plugin: protocolNativePlugin, options: { port: 0 } },
        { plugin: featureTransactionPlugin, options: { transactionTimeoutMs: 100, checkIntervalMs: 100 } },
      ],
    });
    await runtime.start();
    server = `127.0.0.1:${runtime.endpoint('native').port}`;
    reader = new PullConsumer({ server });
    await reader.start();
    clients.push(reader);
  });

  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.shutdown()));
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function visibleBodies(): Promise<string[]> {
    const bodies: string[] = [];
    for (let queueId = 0; queueId < 2; queueId++) {
      const result = await reader.pull({ topic: TOPIC, queueId, offset: 0, maxCount: 100, maxWaitMs: 0 }).catch(() => ({ messages: [] }));
      bodies.push(...result.messages.map((m) => m.body.toString()));
    }
    return bodies.sort();
  }

  async function startedProducer(
    execute: (body: string) => LocalTransactionState | Promise<LocalTransactionState>,
    check: (request: TransactionCheckRequest) => LocalTransactionState,
  ): Promise<TransactionProducer<string>> {
    const producer = new TransactionProducer<string>({
      server,
      producerGroup: 'pg',
      checkPollMs: 1_000,
      executeLocalTransaction: (_message, arg) => execute(arg),
      checkLocalTransaction: check,
    });
    clients.push(producer);
    await producer.start();
    return producer;
  }

  it('commits, rolls back, and settles an UNKNOWN or a throw through a check', async () => {
    const checked: Array<{ body: string; topic: string }> = [];
    const producer = await startedProducer(
      (body) => {
        if (body === 'throws') throw new Error('local transaction failed');
        return body === 'commit' ? 'COMMIT' : body === 'rollback' ? 'ROLLBACK' : 'UNKNOWN';
      },
      (request) => {
        checked.push({ body: request.message.body.toString(), topic: request.message.topic });
        return request.message.body.toString() === 'unknown' ? 'COMMIT' : 'ROLLBACK';
      },
    );
    const errors: unknown[] = [];
    producer.on('error', (error) => errors.push(error));
    const results = [];
    for (const body of ['commit', 'rollback', 'unknown', 'throws']) {
      results.push(await producer.sendMessageInTransaction({ topic: TOPIC, body }, body));
    }
    expect(results.map((r) => r.state)).toEqual(['COMMIT', 'ROLLBACK', 'UNKNOWN', 'UNKNOWN']);
    expect(new Set(results.map((r) => r.transactionId)).size).toBe(4);
    expect(await visibleBodies()).toEqual(['commit']);
    await waitFor(async () => (await visibleBodies()).length === 2 && checked.length === 2, 'the checks to settle both undecided transactions');
    expect(checked.sort((a, b) => a.body.localeCompare(b.body))).toEqual([{ body: 'throws', topic: TOPIC }, { body: 'unknown', topic: TOPIC }]);
    expect(await visibleBodies()).toEqual(['commit', 'unknown']);
    expect(errors).toEqual([expect.objectContaining({ message: 'local transaction failed' })]);
    const committed = (await reader.pull({ topic: TOPIC, queueId: 0, offset: 0, maxWaitMs: 0 })).messages.concat(
      (await reader.pull({ topic: TOPIC, queueId: 1, offset: 0, maxWaitMs: 0 })).messages,
    );
    const commitMessage = committed.find((m) => m.body.toString() === 'commit')!;
    expect(commitMessage.properties[SystemProperties.TRANSACTION_HALF_MSG_ID]).toBe(results[0]!.sendResult.msgId);
    expect(commitMessage.properties[SystemProperties.TRANSACTION_ID]).toBe(results[0]!.transactionId);
    expect(commitMessage.properties[SystemProperties.TRANSACTION_PREPARED]).toBeUndefined();
  });

  it('has another producer of the group answer the checks once the first one is gone', async () => {
    const first = await startedProducer(() => 'UNKNOWN', () => 'UNKNOWN');
    await first.sendMessageInTransaction({ topic: TOPIC, body: 'orphan' }, 'orphan');
    await first.shutdown();
    const checkedBySecond: string[] = [];
    await startedProducer(
      () => 'UNKNOWN',
      (request) => {
        checkedBySecond.push(request.message.body.toString());
        return 'COMMIT';
      },
    );
    await waitFor(async () => (await visibleBodies()).length === 1, 'the second producer to commit the orphan');
    expect(checkedBySecond).toEqual(['orphan']);
    expect(await visibleBodies()).toEqual(['orphan']);
  });

  it('fails to start against a broker without the transaction plugin', async () => {
    const plain = await startTestBroker();
    try {
      const producer = new TransactionProducer({ server: plain.server, producerGroup: 'pg', executeLocalTransaction: () => 'COMMIT', checkLocalTransaction: () => 'COMMIT' });
      await expect(producer.start()).rejects.toEqual(expect.any(BrokerError));
      await expect(producer.start()).rejects.toMatchObject({ code: 'REQUEST_CODE_NOT_SUPPORTED', message: 'no transaction plugin is loaded (feature-transaction)' });
    } finally {
      await plain.stop();
    }
  });

  it('marks half messages with the property names the broker reads', () => {
    expect(TRANSACTION_PROPERTIES).toEqual({
      PREPARED: SystemProperties.TRANSACTION_PREPARED,
      TRANSACTION_ID: SystemProperties.TRANSACTION_ID,
      PRODUCER_GROUP: SystemProperties.PRODUCER_GROUP,
    });
  });
});
