import { join } from 'node:path';
import { Admin, Producer, type Message, type SendResult } from '@tessera/client';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { runTessera, type TesseraRun } from './support/run-tessera';
import { makeTempDir, removeTempDir } from './support/temp-dir';

const TOPIC = 'queried';
const QUEUE_COUNT = 4;
const PER_BATCH = 300;
/** Keeps every store time of one batch apart from the next one's. */
const GAP_MS = 50;
const SHARED_KEY = 'shared-key';

interface Sent {
  result: SendResult;
  message: Message;
}

describe('message query by id, key and time across a restart', () => {
  let dir: string;
  let dataDir: string;
  let broker: BrokerProcess;
  const clients: Array<{ shutdown(): Promise<void> }> = [];
  const sent: Sent[] = [];
  /** Store-time bounds of the middle batch, taken around it. */
  let from = 0;
  let to = 0;
  let middleBatch: Sent[] = [];

  beforeAll(async () => {
    dir = makeTempDir();
    dataDir = join(dir, 'data');
    broker = await BrokerProcess.start({ dataDir, cwd: dir });
    const admin = new Admin({ server: broker.address });
    await admin.start();
    await admin.createTopic({ name: TOPIC, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
    await admin.shutdown();
    const producer = new Producer({ server: broker.address });
    await producer.start();
    const sendBatch = async (batch: number): Promise<Sent[]> => {
      const messages: Message[] = Array.from({ length: PER_BATCH }, (_, i) => {
        const n = batch * PER_BATCH + i;
        return {
          topic: TOPIC,
          body: `order ${n}`,
          tag: `batch${batch}`,
          keys: n % 100 === 7 ? [`order-${n}`, SHARED_KEY] : [`order-${n}`],
          properties: { n: String(n) },
        };
      });
      const results = await Promise.all(messages.map((message) => producer.send(message)));
      const batchSent = results.map((result, i) => ({ result, message: messages[i]! }));
      sent.push(...batchSent);
      return batchSent;
    };
    await sendBatch(0);
    await pause();
    from = Date.now();
    middleBatch = await sendBatch(1);
    to = Date.now();
    await pause();
    await sendBatch(2);
    await producer.shutdown();

    const { port } = broker;
    expect(await broker.stop()).toEqual({ code: 0, signal: null });
    broker = await BrokerProcess.start({ dataDir, cwd: dir, port });
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.shutdown()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  function tessera(...args: string[]): Promise<TesseraRun> {
    return runTessera([...args, '--server', broker.address], { cwd: dir, timeoutMs: 60_000 });
  }

  async function startedAdmin(): Promise<Admin> {
    const admin = new Admin({ server: broker.address });
    clients.push(admin);
    await admin.start();
    return admin;
  }

  const idsWithKey = (key: string) => sent.filter((s) => s.message.keys!.includes(key)).map((s) => s.result.msgId).sort();

  it('finds a message by id with the CLI and the SDK', async () => {
    const target = sent[417]!;
    const json = await tessera('message', 'get', '--id', target.result.msgId, '--json');
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      msgId: target.result.msgId,
      topic: TOPIC,
      queueId: target.result.queueId,
      queueOffset: target.result.queueOffset,
      tag: 'batch1',
      keys: ['order-417'],
      properties: { n: '417' },
      bodyEncoding: 'utf8',
      body: 'order 417',
    });
    const plain = await tessera('message', 'get', '--id', target.result.msgId);
    expect(plain.stdout).toMatch(/^body: +order 417$/m);

    const admin = await startedAdmin();
    const found = await admin.getMessageById(target.result.msgId);
    expect({ topic: found.topic, body: found.body.toString(), keys: found.keys }).toEqual({ topic: TOPIC, body: 'order 417', keys: ['order-417'] });
  });

  it('finds messages by key with the CLI and the SDK', async () => {
    const single = await tessera('message', 'query', '--topic', TOPIC, '--key', 'order-123', '--json');
    expect(single.exitCode).toBe(0);
    expect(single.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { msgId: string }).msgId)).toEqual(idsWithKey('order-123'));

    const table = await tessera('message', 'query', '--topic', TOPIC, '--key', SHARED_KEY);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^MSG ID +QUEUE +OFFSET +STORED +TAG +KEYS +BYTES$/);
    expect(lines.slice(1, -1).map((line) => line.split(/ +/)[0]).sort()).toEqual(idsWithKey(SHARED_KEY));
    expect(lines.at(-1)).toBe(`${idsWithKey(SHARED_KEY).length} message(s)`);

    const admin = await startedAdmin();
    expect((await admin.queryMessagesByKey(TOPIC, SHARED_KEY, 64)).map((m) => m.msgId).sort()).toEqual(idsWithKey(SHARED_KEY));
  });

  it('finds the messages stored within a time range with the CLI and the SDK', async () => {
    const expected = middleBatch.map((s) => s.result.msgId).sort();
    const run = await tessera('message', 'query', '--topic', TOPIC, '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--max', '1024', '--json');
    expect(run.exitCode).toBe(0);
    const printed = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { msgId: string; tag: string });
    expect(printed.map((m) => m.msgId).sort()).toEqual(expected);
    expect(new Set(printed.map((m) => m.tag))).toEqual(new Set(['batch1']));

    const admin = await startedAdmin();
    const found = await admin.queryMessagesByTime(TOPIC, new Date(from), new Date(to), 1024);
    expect(found.map((m) => m.msgId).sort()).toEqual(expected);
    expect(await admin.queryMessagesByTime(TOPIC, from, to, 10)).toHaveLength(10);
  });
});

function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, GAP_MS));
}
