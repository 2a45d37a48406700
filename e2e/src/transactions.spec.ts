import { join } from 'node:path';
import { Admin, PullConsumer, PushConsumer, TransactionProducer, type LocalTransactionState, type TransactionCheckRequest } from '@tessera/client';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { readWholeQueue } from './support/read-whole-queue';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { TransactionProducerProcess } from './support/transaction-producer-process';
import { waitUntil } from './support/wait-until';
import { writeDistributionConfig } from './support/write-distribution-config';

const TOPIC = 'transactional-orders';
const QUEUE_COUNT = 4;
const TRANSACTION_TIMEOUT_MS = 1_000;
const CHECK_INTERVAL_MS = 500;
/** Long enough for an undecided half to be checked a few times. */
const UNDECIDED_WINDOW_MS = TRANSACTION_TIMEOUT_MS + 3 * CHECK_INTERVAL_MS;

const range = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('transactional messages', () => {
  let dir: string;
  let dataDir: string;
  let configFile: string;
  let broker: BrokerProcess;
  const clients: Array<{ shutdown(): Promise<void> }> = [];
  /** Bodies the consumer (running from the first test to the last, from the earliest offset) got, by message id. */
  const consumed = new Map<string, string>();
  /** Every body some test committed; anything else consumed is a rolled-back or undecided message. */
  const committedInRun = new Set<string>();

  beforeAll(async () => {
    dir = makeTempDir();
    dataDir = join(dir, 'data');
    configFile = writeDistributionConfig(dir, 'transactions', {
      store: { flushMode: 'SYNC' },
      extraPlugins: [
        {
          name: '@tessera/feature-transaction',
          options: { transactionTimeoutMs: TRANSACTION_TIMEOUT_MS, checkIntervalMs: CHECK_INTERVAL_MS, checkMax: 60, checkpointIntervalMs: 500 },
        },
      ],
    });
    broker = await BrokerProcess.start({ dataDir, cwd: dir, configFile });
    const admin = await started(new Admin({ server: broker.address }));
    await admin.createTopic({ name: TOPIC, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
    await started(
      new PushConsumer({
        server: broker.address,
        group: 'transaction-audit',
        topic: TOPIC,
        consumeFrom: 'earliest',
        heartbeatIntervalMs: 500,
        longPollMs: 1_000,
        listener: (messages) => {
          for (const message of messages) consumed.set(message.msgId, message.body.toString());
          return 'SUCCESS';
        },
      }),
    );
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.shutdown()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  async function started<Client extends { start(): Promise<void>; shutdown(): Promise<void> }>(client: Client): Promise<Client> {
    clients.push(client);
    await client.start();
    return client;
  }

  function transactionProducer(
    producerGroup: string,
    execute: (body: string) => LocalTransactionState,
    check: (request: TransactionCheckRequest) => LocalTransactionState,
  ): Promise<TransactionProducer<string>> {
    return started(
      new TransactionProducer<string>({
        server: broker.address,
        producerGroup,
        checkPollMs: 1_000,
        executeLocalTransaction: (_message, body) => execute(body),
        checkLocalTransaction: check,
      }),
    );
  }

  const consumedBodies = () => new Set(consumed.values());

  /** How many times each body is stored on the topic, read independently of the consumer. */
  async function storedCounts(): Promise<Map<string, number>> {
    const reader = new PullConsumer({ server: broker.address });
    await reader.start();
    try {
      const counts = new Map<string, number>();
      for (let queueId = 0; queueId < QUEUE_COUNT; queueId++) {
        for (const message of await readWholeQueue(reader, TOPIC, queueId)) {
          const body = message.body.toString();
          counts.set(body, (counts.get(body) ?? 0) + 1);
        }
      }
      return counts;
    } finally {
      await reader.shutdown();
    }
  }

  /** Waits for the consumer to get every committed body, then checks each is stored once and no `never` body is stored or consumed. */
  async function expectOnlyCommitted(committed: string[], never: string[]): Promise<void> {
    committed.forEach((body) => committedInRun.add(body));
    await waitUntil(
      () => committed.every((body) => consumedBodies().has(body)),
      30_000,
      () => `the consumer still misses ${committed.filter((body) => !consumedBodies().has(body)).join(', ')}`,
    );
    const counts = await storedCounts();
    expect(committed.filter((body) => counts.get(body) !== 1)).toEqual([]);
    expect(never.filter((body) => counts.has(body))).toEqual([]);
    expect(never.filter((body) => consumedBodies().has(body))).toEqual([]);
  }

  it('publishes committed transactions exactly once, never rolled-back ones, and settles a failed local transaction by a check', async () => {
    const checked: string[] = [];
    const producer = await transactionProducer(
      'g-basic',
      (body) => {
        if (body.startsWith('basic-throws')) throw new Error('the local transaction failed');
        return body.startsWith('basic-commit') ? 'COMMIT' : 'ROLLBACK';
      },
      (request) => {
        checked.push(request.message.body.toString());
        return request.message.body.toString().endsWith('-0') ? 'COMMIT' : 'ROLLBACK';
      },
    );
    const bodies = [...range('basic-commit', 10), ...range('basic-rollback', 10), ...range('basic-throws', 2)];
    const states = await Promise.all(bodies.map((body) => producer.sendMessageInTransaction({ topic: TOPIC, body }, body).then((r) => r.state)));
    expect(states).toEqual([...Array(10).fill('COMMIT'), ...Array(10).fill('ROLLBACK'), 'UNKNOWN', 'UNKNOWN']);
    await waitUntil(() => checked.length >= 2, 30_000, () => `checked only ${JSON.stringify(checked)}`);
    expect(checked.sort()).toEqual(['basic-throws-0', 'basic-throws-1']);
    await expectOnlyCommitted([...range('basic-commit', 10), 'basic-throws-0'], [...range('basic-rollback', 10), 'basic-throws-1']);
  });

  it('checks back, through another member of its group, the transactions of a producer that died before deciding', async () => {
    const { worker, sent } = await TransactionProducerProcess.sendHalves({
      server: broker.address,
      producerGroup: 'g-orphan',
      topic: TOPIC,
      bodies: range('orphan', 6),
    });
    await worker.kill();
    await sleep(UNDECIDED_WINDOW_MS);
    expect(sent.map((half) => half.body).filter((body) => consumedBodies().has(body))).toEqual([]);

    const checkedTransactions = new Set<string>();
    await transactionProducer(
      'g-orphan',
      () => 'UNKNOWN',
      (request) => {
        checkedTransactions.add(request.transactionId);
        const index = Number(request.message.body.toString().split('-')[1]);
        return index % 2 === 0 ? 'COMMIT' : 'ROLLBACK';
      },
    );
    await waitUntil(() => checkedTransactions.size === sent.length, 30_000, () => `checked ${checkedTransactions.size} of ${sent.length}`);
    expect([...checkedTransactions].sort()).toEqual(sent.map((half) => half.transactionId).sort());
    await expectOnlyCommitted(['orphan-0', 'orphan-2', 'orphan-4'], ['orphan-1', 'orphan-3', 'orphan-5']);
  });

  it('resolves the transactions open when the broker was SIGKILLed, after it restarts', async () => {
    let decide = false;
    const decidedAfterRestart = new Set<string>();
    const producer = await transactionProducer(
      'g-crash',
      (body) => (body.startsWith('crash-commit') ? 'COMMIT' : body.startsWith('crash-rollback') ? 'ROLLBACK' : 'UNKNOWN'),
      (request) => {
        if (!decide) return 'UNKNOWN';
        const body = request.message.body.toString();
        decidedAfterRestart.add(body);
        return Number(body.split('-')[2]) % 2 === 0 ? 'COMMIT' : 'ROLLBACK';
      },
    );
    const send = (bodies: string[]) => Promise.all(bodies.map((body) => producer.sendMessageInTransaction({ topic: TOPIC, body }, body)));
    await send([...range('crash-commit', 5), ...range('crash-rollback', 5), ...range('crash-open', 6)]);
    await waitUntil(() => range('crash-commit', 5).every((body) => consumedBodies().has(body)), 30_000, () => 'the commits before the crash were not consumed');
    // Long enough for a checkpoint and a few (unanswered) checks; the later halves are only in the log.
    await sleep(UNDECIDED_WINDOW_MS);
    await send(range('crash-open', 12).slice(6));
    const killed = await broker.kill();
    expect(killed.signal).toBe('SIGKILL');

    broker = await BrokerProcess.start({ dataDir, cwd: dir, configFile, port: broker.port });
    await waitUntil(() => broker.output.includes('"msg":"transactions recovered"'), 10_000, () => broker.output);
    expect(broker.output).toMatch(/"open":12,"msg":"transactions recovered"/);
    await sleep(UNDECIDED_WINDOW_MS);
    expect(range('crash-open', 12).filter((body) => consumedBodies().has(body))).toEqual([]);
    decide = true;
    await waitUntil(() => decidedAfterRestart.size === 12, 30_000, () => `decided ${decidedAfterRestart.size} of 12 open transactions`);
    const open = range('crash-open', 12);
    await expectOnlyCommitted(
      [...range('crash-commit', 5), ...open.filter((_, i) => i % 2 === 0)],
      [...range('crash-rollback', 5), ...open.filter((_, i) => i % 2 === 1)],
    );
  });

  it('never delivered a rolled-back or undecided message over the whole run', () => {
    expect([...consumedBodies()].filter((body) => !committedInRun.has(body))).toEqual([]);
    expect(consumedBodies().size).toBe(committedInRun.size);
  });
});
