import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { storeCommitlogPlugin } from '@tessera/store-commitlog';
import { MemoryStorageEngine, memoryStoragePlugin, metricValue } from '@tessera/testing';
import { ContainerModule, injectable } from 'inversify';
import { StorageEngine, type AppendMessage, type AppendResult, type OnReadable } from '../storage/storage-engine';
import type { MessageHooks } from '../hooks/message-hooks';
import { hooksPlugin } from '../pop/pop-service-harness.spec-helper';
import { ErrorCode } from '../errors/error-code';
import { SystemProperties } from '../message/system-properties';
import { createLogger } from '../logging/logger';
import type { BrokerSettings } from '../config/broker-settings';
import type { TesseraPlugin } from '../plugin/tessera-plugin';
import type { BrokerRuntime } from './broker-runtime';
import { createBroker } from './create-broker';

describe('KernelBroker', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const start = async (settings: Partial<BrokerSettings> = {}, storage: TesseraPlugin<any> = memoryStoragePlugin) => {
    runtime = createBroker({
      broker: { dataDir, ...settings },
      plugins: [storage, coordinationLocalPlugin],
      logger: createLogger({ level: 'silent' }),
    });
    await runtime.start();
    return runtime.broker;
  };

  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'tessera-kernel-'))));
  afterEach(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('auto-creates a topic and spreads messages over its write queues round-robin', async () => {
    const broker = await start({ defaultQueueCount: 3 });
    const results = await broker.produce(
      Array.from({ length: 6 }, (_, i) => ({ topic: 'orders', body: Buffer.from(`m${i}`) })),
      { protocol: 'internal' },
    );
    expect(results.map((r) => r.queueId)).toEqual([0, 1, 2, 0, 1, 2]);
    expect(results.map((r) => r.queueOffset)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(broker.topics.get('orders')).toMatchObject({ writeQueueCount: 3, readQueueCount: 3, permission: 'rw' });
    const read = await broker.pull({ topic: 'orders', queueId: 1, offset: 0, maxCount: 10, maxBytes: 1 << 20 });
    expect(read.messages.map((m) => m.body.toString())).toEqual(['m1', 'm4']);
  });

  it('refuses what it cannot take, with a code that says why', async () => {
    const broker = await start({ autoCreateTopics: false, maxMessageBytes: 16 });
    const produce = (topic: string, body = 'x', queueId?: number) =>
      broker.produce([{ topic, body: Buffer.from(body), queueId }], { protocol: 'internal' });
    await expect(produce('missing')).rejects.toMatchObject({ code: ErrorCode.TOPIC_NOT_FOUND });
    await broker.topics.create({ name: 't', writeQueueCount: 2 });
    await expect(produce('t', 'x'.repeat(17))).rejects.toMatchObject({ code: ErrorCode.MESSAGE_TOO_LARGE });
    await expect(produce('t', 'x', 2)).rejects.toMatchObject({ code: ErrorCode.INVALID_QUEUE });
    await expect(broker.topics.create({ name: 'bad name!' })).rejects.toMatchObject({ code: ErrorCode.INVALID_TOPIC_NAME });
    await broker.topics.update('t', { permission: 'r' });
    await expect(produce('t')).rejects.toMatchObject({ code: ErrorCode.NO_PERMISSION });
    await broker.topics.update('t', { permission: 'w' });
    await expect(broker.pull({ topic: 't', queueId: 0, offset: 0, maxCount: 1, maxBytes: 1 })).rejects.toMatchObject({
      code: ErrorCode.NO_PERMISSION,
    });
  });

  it('refuses a message asking for a delay when no plugin delivers delayed messages', async () => {
    const broker = await start();
    for (const name of [SystemProperties.DELAY_LEVEL, SystemProperties.DELIVER_AT, SystemProperties.DELAY_MS]) {
      await expect(broker.produce([{ topic: 't', body: Buffer.from('x'), properties: { [name]: '1' } }], { protocol: 'internal' })).rejects.toMatchObject({
        code: ErrorCode.BAD_REQUEST,
        message: 'no plugin is loaded to deliver delayed messages (feature-delay)',
      });
    }
    expect(broker.queueRange('t', 0).maxOffset).toBe(0);
  });

  it('holds a pull until a message arrives, and answers within milliseconds of it', async () => {
    const broker = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    const started = Date.now();
    const pull = broker.pull({ topic: 't', queueId: 0, offset: 0, maxCount: 10, maxBytes: 1 << 20, maxWaitMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    let producedAt = 0;
    await broker.produce([{ topic: 't', body: Buffer.from('hello') }], { protocol: 'internal' }).then(() => (producedAt = Date.now()));
    const result = await pull;
    const answeredAt = Date.now();
    expect(result.status).toBe('FOUND');
    expect(result.messages[0]!.body.toString()).toBe('hello');
    expect(answeredAt - started).toBeGreaterThanOrEqual(50);
    expect(answeredAt - producedAt).toBeLessThan(50);
  });

  it('counts the messages pulls return', async () => {
    const broker = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await broker.produce([1, 2, 3].map((i) => ({ topic: 't', body: Buffer.from(`m${i}`) })), { protocol: 'internal' });
    await broker.pull({ topic: 't', queueId: 0, offset: 0, maxCount: 2, maxBytes: 1 << 20 });
    await broker.pull({ topic: 't', queueId: 0, offset: 2, maxCount: 10, maxBytes: 1 << 20 });
    await broker.pull({ topic: 't', queueId: 0, offset: 3, maxCount: 10, maxBytes: 1 << 20 });
    expect(await metricValue(runtime.metrics, 'tessera_messages_pulled_total')).toBe(3);
    expect(await metricValue(runtime.metrics, 'tessera_messages_produced_total')).toBe(3);
  });

  it('answers a held pull with nothing when its wait passes', async () => {
    const broker = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    const started = Date.now();
    const result = await broker.pull({ topic: 't', queueId: 0, offset: 0, maxCount: 10, maxBytes: 1024, maxWaitMs: 100 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    expect(['NO_NEW_MESSAGE', 'NO_QUEUE']).toContain(result.status);
  });

  it('keeps topics and committed offsets across a restart', async () => {
    let broker = await start({ offsetFlushIntervalMs: 60_000 }, storeCommitlogPlugin);
    await broker.topics.create({ name: 'kept', writeQueueCount: 4, readQueueCount: 2 });
    await broker.produce(Array.from({ length: 200 }, (_, i) => ({ topic: 'kept', body: Buffer.from(`k${i}`) })), { protocol: 'internal' });
    broker.commitOffset('g', 'kept', 1, 42);
    await runtime.stop();
    broker = await start({}, storeCommitlogPlugin);
    expect(broker.topics.get('kept')).toMatchObject({ writeQueueCount: 4, readQueueCount: 2 });
    expect(broker.committedOffset('g', 'kept', 1)).toBe(42);
    await broker.topics.delete('kept');
    await runtime.stop();
    broker = await start({}, storeCommitlogPlugin);
    expect(broker.topics.get('kept')).toBeUndefined();
  });

  it('pulls a committed offset past its queue end back to that end at start (the log lost a tail a group had read)', async () => {
    let broker = await start({ offsetFlushIntervalMs: 60_000 });
    await broker.topics.create({ name: 'lost', writeQueueCount: 1 });
    await broker.produce(Array.from({ length: 10 }, (_, i) => ({ topic: 'lost', body: Buffer.from(`l${i}`) })), { protocol: 'internal' });
    broker.commitOffset('g', 'lost', 0, 10);
    await runtime.stop();
    // The memory engine keeps nothing across a restart: every queue ends at 0 again.
    broker = await start();
    expect(broker.committedOffset('g', 'lost', 0)).toBe(0);
    const [next] = await broker.produce([{ topic: 'lost', body: Buffer.from('next') }], { protocol: 'internal' });
    expect(next!.queueOffset).toBe(0);
  });

  it('calls onProduceEnd once per produce that reached the hooks: with the results, or undefined when it was refused', async () => {
    const ends: Array<{ topics: string[]; protocol: string; offsets: number[] | undefined }> = [];
    const hooks: MessageHooks = {
      name: 'recorder',
      onProduce: () => undefined,
      onProduceEnd: (batch, context, results) =>
        void ends.push({ topics: batch.map((m) => m.topic), protocol: context.protocol, offsets: results?.map((r) => r.queueOffset) }),
    };
    runtime = createBroker({
      broker: { dataDir },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, hooksPlugin(hooks)],
      logger: createLogger({ level: 'silent' }),
    });
    await runtime.start();
    const broker = runtime.broker;
    await broker.topics.create({ name: 'ends', writeQueueCount: 1 });
    await broker.produce([{ topic: 'ends', body: Buffer.from('a') }, { topic: 'ends', body: Buffer.from('b') }], { protocol: 'native' });
    const refused = broker.produce([{ topic: 'ends', body: Buffer.from('later'), properties: { [SystemProperties.DELAY_MS]: '100' } }], { protocol: 'amqp' });
    await expect(refused).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    expect(ends).toEqual([
      { topics: ['ends', 'ends'], protocol: 'native', offsets: [0, 1] },
      { topics: ['ends'], protocol: 'amqp', offsets: undefined },
    ]);
  });

  it('wakes a held pull when the engine calls onReadable, before the producer is acked', async () => {
    const broker = await start({}, heldAckStoragePlugin);
    await broker.topics.create({ name: 'early', writeQueueCount: 1 });
    const pull = broker.pull({ topic: 'early', queueId: 0, offset: 0, maxCount: 10, maxBytes: 1 << 20, maxWaitMs: 5000 });
    let acked = false;
    const produce = broker.produce([{ topic: 'early', body: Buffer.from('seen-first') }], { protocol: 'internal' }).then(() => (acked = true));
    const result = await pull;
    expect(result.messages.map((m) => m.body.toString())).toEqual(['seen-first']);
    expect(acked).toBe(false);
    heldAcks.splice(0).forEach((release) => release());
    await produce;
  });

  it('finds the messages of a topic stored within a time range, and none outside it', async () => {
    const broker = await start({ defaultQueueCount: 2 });
    const send = (label: string) => broker.produce([0, 1].map((queueId) => ({ topic: 't', queueId, body: Buffer.from(label) })), { protocol: 'internal' });
    await send('before');
    await new Promise((resolve) => setTimeout(resolve, 5));
    const [first] = await send('inside');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await send('after');
    const found = await broker.queryMessagesByTime({ topic: 't', beginTimestamp: first!.storeTimestamp, endTimestamp: first!.storeTimestamp + 2, maxCount: 10 });
    expect(found.map((m) => [m.queueId, m.body.toString()])).toEqual([[0, 'inside'], [1, 'inside']]);
    await expect(broker.queryMessagesByTime({ topic: 'nope', beginTimestamp: 0, endTimestamp: 1, maxCount: 1 })).rejects.toMatchObject({ code: ErrorCode.TOPIC_NOT_FOUND });
  });

  it('stops a time-range query at its byte budget, but always returns the first message', async () => {
    const broker = await start({ defaultQueueCount: 1 });
    const begin = Date.now();
    await broker.produce(Array.from({ length: 10 }, () => ({ topic: 't', queueId: 0, body: Buffer.alloc(1000) })), { protocol: 'internal' });
    const query = { topic: 't', beginTimestamp: begin - 1, endTimestamp: Date.now() + 1, maxCount: 100 };
    expect(await broker.queryMessagesByTime({ ...query, maxBytes: 3500 })).toHaveLength(3);
    expect(await broker.queryMessagesByTime({ ...query, maxBytes: 10 })).toHaveLength(1);
    expect(await broker.queryMessagesByTime(query)).toHaveLength(10);
  });

  it('appends to and reads system topics outside the registry, and only system topics', async () => {
    const broker = await start();
    const message = { topic: '%SYS%TEST', queueId: 0, body: Buffer.from('x'), bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 };
    await broker.appendToSystemTopic([message]);
    const read = await broker.readSystemTopic({ topic: '%SYS%TEST', queueId: 0, offset: 0, maxCount: 8, maxBytes: 1024 });
    expect(read.messages.map((m) => m.body.toString())).toEqual(['x']);
    expect(broker.topics.get('%SYS%TEST')).toBeUndefined();
    await expect(broker.appendToSystemTopic([{ ...message, topic: 'orders' }])).rejects.toThrow(/not a system topic/);
  });

  it('long-polls a system topic: at once when data is there, woken by an append, false after the wait', async () => {
    const broker = await start();
    const message = { topic: '%SYS%WAIT', queueId: 0, body: Buffer.from('x'), bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 };
    expect(await broker.waitForSystemTopic('%SYS%WAIT', 0, 0, 20)).toBe(false);
    const startedAt = Date.now();
    const waiting = broker.waitForSystemTopic('%SYS%WAIT', 0, 0, 5_000);
    await broker.appendToSystemTopic([message]);
    expect(await waiting).toBe(true);
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    expect(await broker.waitForSystemTopic('%SYS%WAIT', 0, 0, 5_000)).toBe(true);
    await expect(broker.waitForSystemTopic('orders', 0, 0, 10)).rejects.toThrow(/not a system topic/);
  });

  it('keeps a system-topic wait begun while stopping for its whole wait, so a polling loop cannot spin', async () => {
    const broker = await start();
    (broker as unknown as { stopAccepting(): void }).stopAccepting();
    const startedAt = Date.now();
    expect(await broker.waitForSystemTopic('%SYS%WAIT', 0, 0, 50)).toBe(false);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(40);
  });

  it('deletes a topic together with the offsets groups committed on it', async () => {
    const broker = await start();
    await broker.topics.create({ name: 'gone' });
    broker.commitOffset('g', 'gone', 0, 5);
    await broker.deleteTopic('gone');
    expect(broker.topics.get('gone')).toBeUndefined();
    expect(broker.committedOffset('g', 'gone', 0)).toBeUndefined();
  });

  it('starts a per-message-ack group afresh on a deleted and re-created topic', async () => {
    const broker = await start();
    await broker.topics.create({ name: 'again', writeQueueCount: 1 });
    const send = (body: string) => broker.produce([{ topic: 'again', body: Buffer.from(body) }], { protocol: 'internal' });
    await send('old-0');
    await send('old-1');
    const receive = () => broker.receive({ group: 'g', topic: 'again', clientId: 'c', maxCount: 10, invisibleMs: 30_000 });
    const [first] = await receive();
    await broker.ack('g', [first!.receipt]);
    expect((await broker.groupProgress('g', 'again'))[0]).toMatchObject({ committedOffset: 1, inflight: 1 });
    await broker.deleteTopic('again');
    await broker.topics.create({ name: 'again', writeQueueCount: 1 });
    await send('new-0');
    const fresh = await receive();
    expect(fresh.map((m) => [m.message.body.toString(), m.message.queueOffset, m.deliveryCount])).toEqual([['new-0', 0, 1]]);
  });

  it('refuses a filtered subscription when no filter plugin is loaded', async () => {
    const broker = await start();
    await broker.topics.create({ name: 't' });
    await expect(
      broker.pull({
        topic: 't',
        queueId: 0,
        offset: 0,
        maxCount: 1,
        maxBytes: 1,
        subscription: { group: 'g', topic: 't', expressionType: 'TAG', expression: 'A || B' },
      }),
    ).rejects.toMatchObject({ code: ErrorCode.SUBSCRIPTION_INVALID });
  });

  it('refuses new work once stopping, and releases held pulls', async () => {
    const broker = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    const held = broker.pull({ topic: 't', queueId: 0, offset: 0, maxCount: 1, maxBytes: 1024, maxWaitMs: 10_000 });
    const stopped = runtime.stop();
    await expect(held).resolves.toMatchObject({ messages: [] });
    await stopped;
    await expect(broker.produce([{ topic: 't', body: Buffer.from('late') }], { protocol: 'internal' })).rejects.toMatchObject({
      code: ErrorCode.SHUTTING_DOWN,
    });
  });
});

const heldAcks: Array<() => void> = [];

/** The memory engine with acks held back after onReadable, as an engine serving records before their fsync. */
@injectable()
class HeldAckStorageEngine extends MemoryStorageEngine {
  override async append(messages: readonly AppendMessage[], onReadable?: OnReadable): Promise<AppendResult[]> {
    const results = await super.append(messages, onReadable);
    await new Promise<void>((resolve) => heldAcks.push(resolve));
    return results;
  }
}

const heldAckStoragePlugin: TesseraPlugin = {
  ...memoryStoragePlugin,
  createModule: () => new ContainerModule(({ bind }) => void bind(StorageEngine).to(HeldAckStorageEngine).inSingletonScope()),
};
