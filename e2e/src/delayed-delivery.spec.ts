import { join } from 'node:path';
import { Admin, BrokerError, Producer, PullConsumer, PushConsumer, type Message, type ReceivedMessage } from '@tessera/client';
import { DelayTopic } from '@tessera/feature-delay';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { readWholeQueue } from './support/read-whole-queue';
import { runTessera } from './support/run-tessera';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';
import { writeDistributionConfig } from './support/write-distribution-config';

const QUEUE_COUNT = 4;
const LEVELS = ['1s', '2s', '3s'];
/** A due message must reach its topic and its consumer within this of its due time. */
const MAX_LATENESS_MS = 1_000;

describe('delayed delivery', () => {
  let dir: string;
  let configFile: string;
  const clients: Array<{ shutdown(): Promise<void> }> = [];

  beforeAll(() => {
    dir = makeTempDir();
    configFile = writeDistributionConfig(dir, 'delay', {
      store: { flushMode: 'SYNC' },
      native: { host: '127.0.0.1' },
      extraPlugins: [{ name: '@tessera/feature-delay', options: { levels: LEVELS } }],
    });
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.shutdown()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  async function started<T extends { start(): Promise<void>; shutdown(): Promise<void> }>(client: T): Promise<T> {
    clients.push(client);
    await client.start();
    return client;
  }

  async function startBroker(name: string, port?: number): Promise<{ broker: BrokerProcess; admin: Admin }> {
    const broker = await BrokerProcess.start({ dataDir: join(dir, name), cwd: dir, configFile, port });
    const admin = await started(new Admin({ server: broker.address }));
    return { broker, admin };
  }

  /** Every message of the topic, one read of each queue. */
  async function readTopic(server: string, topic: string): Promise<ReceivedMessage[]> {
    const consumer = await started(new PullConsumer({ server }));
    const queues = await Promise.all(Array.from({ length: QUEUE_COUNT }, (_, queueId) => readWholeQueue(consumer, topic, queueId)));
    await consumer.shutdown();
    return queues.flat();
  }

  /** When the broker will deliver a sent message: the due time its parked copy records. */
  async function dueTimeOf(admin: Admin, parkedMsgId: string): Promise<number> {
    const parked = await admin.getMessageById(parkedMsgId);
    return Number(parked.properties[DelayTopic.DUE_AT]);
  }

  function countById(messages: readonly ReceivedMessage[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const message of messages) counts.set(message.properties.id!, (counts.get(message.properties.id!) ?? 0) + 1);
    return counts;
  }

  it('delivers at levels and at arbitrary times, never before due and within 1 s after', async () => {
    const { broker, admin } = await startBroker('timing');
    await admin.createTopic({ name: 'timing', writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
    const arrivals = new Map<string, number[]>();
    const consumer = new PushConsumer({
      server: broker.address,
      group: 'timing-group',
      topic: 'timing',
      consumeFrom: 'earliest',
      listener: (messages) => {
        const now = Date.now();
        for (const message of messages) arrivals.set(message.properties.id!, [...(arrivals.get(message.properties.id!) ?? []), now]);
        return 'SUCCESS';
      },
    });
    const problems: string[] = [];
    consumer.on('error', (error: Error) => problems.push(error.message));
    await started(consumer);
    const producer = await started(new Producer({ server: broker.address }));

    const now = Date.now();
    const asked: Array<Partial<Message> & { id: string }> = [
      ...[1, 2, 3].flatMap((level) => [0, 1].map((copy) => ({ id: `level-${level}-${copy}`, delayLevel: level }))),
      { id: 'at-1.5s', deliverAt: new Date(now + 1_500) },
      { id: 'at-4s', deliverAt: now + 4_000 },
      { id: 'in-2.5s', delayMs: 2_500 },
      { id: 'at-past', deliverAt: now - 10_000 },
    ];
    const sent = await Promise.all(
      asked.map(async ({ id, ...delay }) => {
        const result = await producer.send({ topic: 'timing', body: `body of ${id}`, keys: [id], properties: { id }, ...delay });
        return { id, parkedMsgId: result.msgId, dueAt: await dueTimeOf(admin, result.msgId) };
      }),
    );
    await producer.send({ topic: 'timing', body: 'not delayed', properties: { id: 'now' } });
    await waitUntil(() => arrivals.size === asked.length + 1, 15_000, () => `${arrivals.size} of ${asked.length + 1} arrived`);

    const stored = new Map((await readTopic(broker.address, 'timing')).map((message) => [message.properties.id!, message]));
    const report = sent.map(({ id, parkedMsgId, dueAt }) => {
      const message = stored.get(id)!;
      return {
        id,
        arrivals: arrivals.get(id)!.length,
        storedLateMs: message.storeTimestamp - dueAt,
        arrivedLateMs: arrivals.get(id)![0]! - dueAt,
        deliveryKey: message.keys.includes(DelayTopic.deliveryKey(parkedMsgId)),
        body: message.body.toString(),
      };
    });
    console.log(`delay e2e lateness (ms): ${report.map((r) => `${r.id} stored +${r.storedLateMs} arrived +${r.arrivedLateMs}`).join(', ')}`);
    for (const r of report) {
      expect(r).toMatchObject({ arrivals: 1, deliveryKey: true, body: `body of ${r.id}` });
      expect(r.storedLateMs).toBeGreaterThanOrEqual(0);
      expect(r.arrivedLateMs).toBeGreaterThanOrEqual(0);
      expect(r.arrivedLateMs).toBeLessThan(MAX_LATENESS_MS);
    }
    const at4 = sent.find((s) => s.id === 'at-4s')!;
    expect(at4.dueAt).toBe(now + 4_000);
    expect(stored.size).toBe(asked.length + 1);
    expect(problems).toEqual([]);
  });

  it('loses none and delivers none twice when the broker is SIGKILLed while messages are scheduled', async () => {
    let { broker, admin } = await startBroker('crash');
    await admin.createTopic({ name: 'crash', writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
    const producer = await started(new Producer({ server: broker.address }));
    const count = 600;
    const sentAt = Date.now();
    const due = new Map<string, number>();
    for (let batch = 0; batch < count / 100; batch++) {
      const messages: Message[] = Array.from({ length: 100 }, (_, i) => {
        const n = batch * 100 + i;
        const delay = n % 3 === 0 ? { delayLevel: 1 + (Math.floor(n / 3) % 3) } : n % 3 === 1 ? { delayMs: 500 + (n % 50) * 100 } : { deliverAt: sentAt + 500 + (n % 70) * 100 };
        return { topic: 'crash', body: `m${n}`, properties: { id: String(n) }, ...delay };
      });
      const results = await producer.sendBatch(messages, { queueId: batch % QUEUE_COUNT });
      for (const [i, result] of results.entries()) due.set(messages[i]!.properties!.id!, await dueTimeOf(admin, result.msgId));
    }
    await producer.shutdown();
    await waitUntil(async () => (await readTopic(broker.address, 'crash')).length >= count / 4, 15_000, () => 'a quarter delivered');
    await admin.shutdown();
    expect((await broker.kill()).signal).toBe('SIGKILL');

    ({ broker, admin } = await startBroker('crash', broker.port));
    const restartedAt = Date.now();
    let delivered: ReceivedMessage[] = [];
    await waitUntil(
      async () => (delivered = await readTopic(broker.address, 'crash')).length >= count,
      20_000,
      () => `${delivered.length} of ${count} delivered after the restart`,
      250,
    );
    // Anything delivered twice would show up by now: every message was due seconds ago.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    delivered = await readTopic(broker.address, 'crash');
    const counts = countById(delivered);
    expect([...counts.values()].filter((n) => n !== 1)).toEqual([]);
    expect(counts.size).toBe(count);
    expect(delivered.filter((m) => m.storeTimestamp < due.get(m.properties.id!)!)).toEqual([]);
    const dueAfterRestart = delivered.filter((m) => due.get(m.properties.id!)! > restartedAt + 500);
    const late = dueAfterRestart.filter((m) => m.storeTimestamp - due.get(m.properties.id!)! >= MAX_LATENESS_MS);
    console.log(`after the SIGKILL: ${dueAfterRestart.length} messages fell due after the restart, ${late.length} of them over ${MAX_LATENESS_MS} ms late`);
    expect(dueAfterRestart.length).toBeGreaterThan(0);
    expect(late).toEqual([]);
    expect((await broker.stop()).code).toBe(0);
  });

  it('refuses a bad delay with a clear error, on the SDK and on the command line', async () => {
    const { broker } = await startBroker('bad');
    const producer = await started(new Producer({ server: broker.address }));
    const refused = await producer.send({ topic: 'bad', body: 'x', delayLevel: 4 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BrokerError);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('__DELAY_LEVEL must be a delay level from 1 to 3, got "4"') });
    const tooFar = await producer.send({ topic: 'bad', body: 'x', delayMs: 41 * 86_400_000 }).catch((error: unknown) => error);
    expect(tooFar).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('more than the longest delay allowed') });

    const tessera = (...args: string[]) => runTessera(['produce', '--server', broker.address, '--topic', 'bad', '--body', 'x', ...args], { cwd: dir });
    const badLevel = await tessera('--delay-level', '9');
    expect(badLevel.exitCode).not.toBe(0);
    expect(badLevel.stderr).toContain('__DELAY_LEVEL must be a delay level from 1 to 3, got "9"');
    const badTime = await tessera('--deliver-at', '2030-13-01T00:00:00Z');
    expect(badTime.exitCode).not.toBe(0);
    expect(badTime.stderr).toContain('--deliver-at is not a real date and time');
    const both = await tessera('--delay-ms', '100', '--delay-level', '1');
    expect(both.exitCode).not.toBe(0);
    expect(both.stderr).toContain('at most one of --delay-level, --delay-ms and --deliver-at');

    const sentAt = Date.now();
    expect(await tessera('--delay-ms', '1000')).toMatchObject({ exitCode: 0 });
    const pull = await started(new PullConsumer({ server: broker.address }));
    const delivered = await waitForMessages(pull, 'bad', 1, 10_000);
    expect(delivered[0]!.storeTimestamp).toBeGreaterThanOrEqual(sentAt + 1000);
  });
});

/** Reads every queue of an auto-created topic until `count` messages are there, for at most `timeoutMs`. */
async function waitForMessages(consumer: PullConsumer, topic: string, count: number, timeoutMs: number): Promise<ReceivedMessage[]> {
  let found: ReceivedMessage[] = [];
  await waitUntil(
    async () => {
      const queues = await Promise.all(Array.from({ length: 8 }, (_, queueId) => readWholeQueue(consumer, topic, queueId)));
      found = queues.flat();
      return found.length >= count;
    },
    timeoutMs,
    () => `${found.length} of ${count} messages in ${topic}`,
  );
  return found;
}
