import { ConnectionError } from '../errors/connection-error';
import { MessageTooLargeError } from '../errors/message-too-large-error';
import { NoPermissionError } from '../errors/no-permission-error';
import { TesseraClientError } from '../errors/tessera-client-error';
import { TopicNotFoundError } from '../errors/topic-not-found-error';
import { PullConsumer } from '../consumer/pull-consumer';
import { keyHashSelector } from '../selector/key-hash-selector';
import { startTestBroker, type TestBroker } from '../testing/start-test-broker';
import { waitFor } from '../testing/wait-for';
import { Producer } from './producer';

describe('Producer', () => {
  let broker: TestBroker;
  let producer: Producer;
  let reader: PullConsumer;

  beforeEach(async () => {
    broker = await startTestBroker({ broker: { maxMessageBytes: 64 * 1024 } });
    producer = new Producer({ server: broker.server, sendTimeoutMs: 2000 });
    reader = new PullConsumer({ server: broker.server });
    await producer.start();
    await reader.start();
  });

  afterEach(async () => {
    await producer.shutdown();
    await reader.shutdown();
    await broker.stop();
  });

  async function bodiesOf(topic: string, queueId: number): Promise<string[]> {
    const result = await reader.pull({ topic, queueId, offset: 0, maxCount: 1000 });
    return result.messages.map((m) => m.body.toString());
  }

  it('sends a message and gets its position back', async () => {
    const result = await producer.send({ topic: 'orders', body: 'hello', tag: 'TagA', keys: ['k1'], properties: { p: 'v' }, queueId: 3 });
    expect(result).toEqual({ msgId: expect.stringMatching(/^[0-9A-F]{24}$/), topic: 'orders', queueId: 3, queueOffset: 0 });
    const pulled = await reader.pull({ topic: 'orders', queueId: 3, offset: 0 });
    expect(pulled.messages[0]).toMatchObject({ msgId: result.msgId, tag: 'TagA', keys: ['k1'], properties: { p: 'v' }, queueOffset: 0 });
    expect(pulled.messages[0]!.body.toString()).toBe('hello');
  });

  it('auto-creates an unknown topic, then spreads sends over its queues', async () => {
    const results = [];
    for (let i = 0; i < 16; i++) results.push(await producer.send({ topic: 'fresh', body: `m${i}` }));
    expect(new Set(results.map((r) => r.queueId)).size).toBeGreaterThan(4);
  });

  it('sends a batch in one frame to one queue, in order', async () => {
    const results = await producer.sendBatch(
      Array.from({ length: 100 }, (_, i) => ({ topic: 'orders', body: `b${i}` })),
      { queueId: 5 },
    );
    expect(results.map((r) => r.queueOffset)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(new Set(results.map((r) => r.queueId))).toEqual(new Set([5]));
    expect(await bodiesOf('orders', 5)).toEqual(Array.from({ length: 100 }, (_, i) => `b${i}`));
  });

  it('refuses a batch that mixes topics', async () => {
    await expect(producer.sendBatch([{ topic: 'a', body: '1' }, { topic: 'b', body: '2' }])).rejects.toThrow(TesseraClientError);
  });

  it.each(['zstd', 'lz4'] as const)('compresses batches over the threshold with %s', async (codec) => {
    const compressing = new Producer({ server: broker.server, compression: { codec, thresholdBytes: 256 } });
    await compressing.start();
    try {
      const body = 'compressible '.repeat(300);
      await compressing.sendBatch([{ topic: 'orders', body }, { topic: 'orders', body: 'small' }], { queueId: 1 });
      await compressing.send({ topic: 'orders', body: 'tiny', queueId: 1 });
      expect(await bodiesOf('orders', 1)).toEqual([body, 'small', 'tiny']);
    } finally {
      await compressing.shutdown();
    }
  });

  it('sends one-way messages without waiting for the broker', async () => {
    await producer.send({ topic: 'orders', body: 'create', queueId: 0 });
    for (let i = 0; i < 10; i++) await producer.sendOneway({ topic: 'orders', body: `o${i}`, queueId: 0 });
    await waitFor(async () => (await reader.queueRange('orders', 0)).maxOffset === 11, 'one-way messages to land');
  });

  it('keeps a sharding key on one queue with keyHashSelector', async () => {
    const keyed = new Producer({ server: broker.server, queueSelector: keyHashSelector });
    await keyed.start();
    try {
      await keyed.send({ topic: 'orders', body: 'create' });
      const queues = new Set<number>();
      for (let i = 0; i < 10; i++) queues.add((await keyed.send({ topic: 'orders', body: `${i}` }, { shardingKey: 'customer-7' })).queueId);
      expect(queues.size).toBe(1);
    } finally {
      await keyed.shutdown();
    }
  });

  it('raises MessageTooLargeError without retrying', async () => {
    const error = await producer.send({ topic: 'orders', body: Buffer.alloc(100 * 1024) }).catch((e) => e);
    expect(error).toBeInstanceOf(MessageTooLargeError);
    expect(error.code).toBe('MESSAGE_TOO_LARGE');
    expect(error.message).toMatch(/exceeds maxMessageBytes/);
  });

  it('raises NoPermissionError for a read-only topic', async () => {
    await broker.runtime.broker.topics.create({ name: 'readonly', permission: 'r' });
    await expect(producer.send({ topic: 'readonly', body: 'x' })).rejects.toBeInstanceOf(NoPermissionError);
  });

  it('raises TopicNotFoundError when auto-create is off', async () => {
    const strict = await startTestBroker({ broker: { autoCreateTopics: false } });
    const strictProducer = new Producer({ server: strict.server });
    await strictProducer.start();
    try {
      await expect(strictProducer.send({ topic: 'missing', body: 'x' })).rejects.toBeInstanceOf(TopicNotFoundError);
    } finally {
      await strictProducer.shutdown();
      await strict.stop();
    }
  });

  it('fails in-flight requests with ConnectionError when the broker goes away, and reconnects after it restarts', async () => {
    const port = Number(broker.server.split(':')[1]);
    await producer.send({ topic: 'orders', body: 'before' });
    await broker.stop();
    await expect(producer.send({ topic: 'orders', body: 'while down' })).rejects.toBeInstanceOf(ConnectionError);
    broker = await startTestBroker({ native: { port } });
    await waitFor(
      () => producer.send({ topic: 'orders', body: 'after' }).then(() => true, () => false),
      'the producer to reconnect',
    );
  });
});
