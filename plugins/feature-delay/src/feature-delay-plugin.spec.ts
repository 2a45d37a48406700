import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, createLogger, ErrorCode, SystemProperties, type Broker, type BrokerRuntime, type MessageInput, type StoredMessage } from '@tessera/kernel';
import { storeCommitlogPlugin } from '@tessera/store-commitlog';
import type { DelayOptions } from './delay-options';
import type { DelayProgress } from './delay-progress';
import { DelayTopic } from './delay-topic';
import { featureDelayPlugin } from './feature-delay-plugin';

const { DELAY_LEVEL, DELAY_MS, DELIVER_AT } = SystemProperties;
/** In-process, with nothing else running: a due message should be stored within this of its due time. */
const PROMPT_MS = 300;

describe('featureDelayPlugin', () => {
  let dataDir: string;
  let runtime: BrokerRuntime | undefined;

  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'tessera-delay-'))));
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(options: Partial<DelayOptions> = {}, plugin = featureDelayPlugin): Promise<Broker> {
    runtime = createBroker({
      broker: { dataDir, defaultQueueCount: 1 },
      plugins: [{ plugin: storeCommitlogPlugin, options: { flushMode: 'SYNC' } }, coordinationLocalPlugin, { plugin, options }],
      logger: createLogger({ level: 'silent' }),
    });
    await runtime.start();
    return runtime.broker;
  }

  async function stop(): Promise<void> {
    await runtime!.stop();
    runtime = undefined;
  }

  /** Reads queue 0 of `topic` from `offset` until `count` messages are there, for at most `timeoutMs`. */
  async function readUntil(broker: Broker, topic: string, count: number, timeoutMs: number, offset = 0): Promise<StoredMessage[]> {
    const found: StoredMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (found.length < count && Date.now() < deadline) {
      const read = await broker.pull({ topic, queueId: 0, offset: offset + found.length, maxCount: 1000, maxBytes: 1 << 24, maxWaitMs: Math.max(1, deadline - Date.now()) });
      found.push(...read.messages);
    }
    return found;
  }

  function delayed(topic: string, n: number, properties: Record<string, string>): MessageInput {
    return { topic, body: Buffer.from(`m${n}`), tag: 'TagA', keys: [`key-${n}`], properties: { n: String(n), ...properties } };
  }

  it('delivers by level, after a delay and at a time (past: at once), never before due and promptly after', async () => {
    const broker = await start({ levels: ['1s', '2s'] });
    const sentAt = Date.now();
    const results = await broker.produce(
      [
        delayed('orders', 0, { [DELAY_LEVEL]: '2' }),
        delayed('orders', 1, { [DELAY_MS]: '1500' }),
        delayed('orders', 2, { [DELIVER_AT]: String(sentAt + 700) }),
        delayed('orders', 3, { [DELIVER_AT]: String(sentAt - 60_000) }),
        delayed('orders', 4, { [DELAY_LEVEL]: '1' }),
        delayed('orders', 5, {}),
      ],
      { protocol: 'internal' },
    );
    expect(results.map((r) => r.topic)).toEqual([DelayTopic.NAME, DelayTopic.NAME, DelayTopic.NAME, DelayTopic.NAME, DelayTopic.NAME, 'orders']);
    const dueAt = [sentAt + 2000, sentAt + 1500, sentAt + 700, sentAt, sentAt + 1000];

    const delivered = await readUntil(broker, 'orders', 6, 5_000);
    expect(delivered.map((m) => m.properties.n)).toEqual(['5', '3', '2', '4', '1', '0']);
    for (const message of delivered.slice(1)) {
      const n = Number(message.properties.n);
      expect(message.storeTimestamp).toBeGreaterThanOrEqual(dueAt[n]!);
      expect(message.storeTimestamp - dueAt[n]!).toBeLessThan(PROMPT_MS);
      expect(message).toMatchObject({ body: Buffer.from(`m${n}`), tag: 'TagA', keys: [`key-${n}`, `DELAY:${results[n]!.msgId}`], properties: { n: String(n) } });
      expect(Object.keys(message.properties)).toEqual(['n']);
    }
  });

  it('refuses a bad delay request for the whole batch, naming the property', async () => {
    const broker = await start();
    await expect(
      broker.produce([delayed('orders', 0, {}), delayed('orders', 1, { [DELAY_LEVEL]: '19' })], { protocol: 'internal' }),
    ).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST, message: `${DELAY_LEVEL} must be a delay level from 1 to 18, got "19"` });
    await expect(broker.produce([delayed('orders', 0, { [DELAY_MS]: 'soon' })], { protocol: 'internal' })).rejects.toMatchObject({
      code: ErrorCode.BAD_REQUEST,
      message: expect.stringContaining(DELAY_MS),
    });
    expect(broker.queueRange('orders', 0).maxOffset).toBe(0);
    expect(broker.queueRange(DelayTopic.NAME, 0).maxOffset).toBe(0);
  });

  it('keeps scheduled messages across a restart, delivering each once', async () => {
    let broker = await start();
    const sentAt = Date.now();
    const count = 300;
    await broker.produce(
      Array.from({ length: count }, (_, n) => delayed('orders', n, { [DELIVER_AT]: String(sentAt + 300 + (n % 30) * 100) })),
      { protocol: 'internal' },
    );
    await readUntil(broker, 'orders', 50, 5_000);
    await stop();
    broker = await start();
    const delivered = await readUntil(broker, 'orders', count, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(broker.queueRange('orders', 0).maxOffset).toBe(count);
    expect(new Set(delivered.map((m) => m.properties.n)).size).toBe(count);
  });

  it('after a crash, delivers again only what its topic does not hold yet', async () => {
    let broker = await start();
    const sentAt = Date.now();
    const count = 200;
    await broker.produce(
      Array.from({ length: count }, (_, n) => delayed('orders', n, { [DELIVER_AT]: String(sentAt + 200 + (n % 20) * 100) })),
      { protocol: 'internal' },
    );
    await readUntil(broker, 'orders', 80, 5_000);
    await stop();
    // As if the broker died before recording any progress: every parked message is indexed again and checked.
    const crashed: DelayProgress = { version: 1, indexedOffset: 0, handledBefore: { fireAt: 0, offset: 0 }, uncertainUntil: Date.now() };
    writeFileSync(join(dataDir, 'delay', 'progress.json'), JSON.stringify(crashed));
    broker = await start();
    const delivered = await readUntil(broker, 'orders', count, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(broker.queueRange('orders', 0).maxOffset).toBe(count);
    expect(new Set(delivered.map((m) => m.properties.n)).size).toBe(count);
  });

  it('drops a due message its topic refuses for good, and delivers the rest of the batch', async () => {
    const broker = await start();
    await broker.topics.create({ name: 'closed', writeQueueCount: 1 });
    const dueAt = String(Date.now() + 500);
    await broker.produce(
      [delayed('orders', 0, { [DELIVER_AT]: dueAt }), delayed('closed', 1, { [DELIVER_AT]: dueAt }), delayed('orders', 2, { [DELIVER_AT]: dueAt })],
      { protocol: 'internal' },
    );
    await broker.topics.update('closed', { permission: 'r' });
    const delivered = await readUntil(broker, 'orders', 2, 5_000);
    expect(delivered.map((m) => m.properties.n)).toEqual(['0', '2']);
    expect(broker.queueRange('closed', 0).maxOffset).toBe(0);
  });

  it('writes no progress while idle', async () => {
    await start({ bucketMs: 86_400_000 });
    const progressFile = join(dataDir, 'delay', 'progress.json');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const writtenAt = statSync(progressFile).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(statSync(progressFile).mtimeMs).toBe(writtenAt);
  });

  it('parks a message again while it is further off than rollAfterMs, and delivers it once at its due time', async () => {
    // rollAfterMs below the schema's minimum of one minute, to see several copies within a test.
    const options: DelayOptions = { levels: ['1s'], maxDelayMs: 60_000, bucketMs: 1000, rollAfterMs: 400 };
    const broker = await start(options, { ...featureDelayPlugin, optionsSchema: undefined });
    const sentAt = Date.now();
    const [parked] = await broker.produce([delayed('orders', 0, { [DELAY_MS]: '1500' })], { protocol: 'internal' });
    const [message] = await readUntil(broker, 'orders', 1, 5_000);
    expect(message!.storeTimestamp).toBeGreaterThanOrEqual(sentAt + 1500);
    expect(message!.keys).toEqual(['key-0', `DELAY:${parked!.msgId}`]);
    const copies = await broker.readSystemTopic({ topic: DelayTopic.NAME, queueId: 0, offset: 0, maxCount: 10, maxBytes: 1 << 20 });
    expect(copies.messages.map((m) => m.properties[DelayTopic.PARKED_ID])).toEqual([undefined, parked!.msgId, parked!.msgId, parked!.msgId]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(broker.queueRange('orders', 0).maxOffset).toBe(1);
  });
});
