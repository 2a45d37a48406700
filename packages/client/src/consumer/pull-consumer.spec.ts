import { InvalidSubscriptionError } from '../errors/invalid-subscription-error';
import { Producer } from '../producer/producer';
import { startTestBroker, type TestBroker } from '../testing/start-test-broker';
import { PullConsumer } from './pull-consumer';

describe('PullConsumer', () => {
  let broker: TestBroker;
  let producer: Producer;
  let consumer: PullConsumer;

  beforeEach(async () => {
    broker = await startTestBroker();
    producer = new Producer({ server: broker.server });
    consumer = new PullConsumer({ server: broker.server, group: 'g1' });
    await producer.start();
    await consumer.start();
    await producer.sendBatch(
      Array.from({ length: 5 }, (_, i) => ({ topic: 'orders', body: `m${i}` })),
      { queueId: 0 },
    );
  });

  afterEach(async () => {
    await producer.shutdown();
    await consumer.shutdown();
    await broker.stop();
  });

  it('pulls from an offset, by count', async () => {
    const result = await consumer.pull({ topic: 'orders', queueId: 0, offset: 1, maxCount: 2 });
    expect(result).toMatchObject({ status: 'FOUND', nextOffset: 3, minOffset: 0, maxOffset: 5 });
    expect(result.messages.map((m) => [m.queueOffset, m.body.toString()])).toEqual([
      [1, 'm1'],
      [2, 'm2'],
    ]);
  });

  it('says where the queue ends and when an offset is beyond it', async () => {
    expect(await consumer.queueRange('orders', 0)).toEqual({ minOffset: 0, maxOffset: 5 });
    expect((await consumer.pull({ topic: 'orders', queueId: 0, offset: 5 })).status).toBe('NO_NEW_MESSAGE');
    expect((await consumer.pull({ topic: 'orders', queueId: 0, offset: 50 })).status).toBe('OFFSET_OVERFLOW');
  });

  it('answers a long poll within milliseconds of a send', async () => {
    const pulling = consumer.pull({ topic: 'orders', queueId: 0, offset: 5, maxWaitMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sentAt = Date.now();
    await producer.send({ topic: 'orders', body: 'late', queueId: 0 });
    const result = await pulling;
    expect(Date.now() - sentAt).toBeLessThan(100);
    expect(result.messages.map((m) => m.body.toString())).toEqual(['late']);
  });

  it('returns an empty result when a long poll times out', async () => {
    const startedAt = Date.now();
    const result = await consumer.pull({ topic: 'orders', queueId: 0, offset: 5, maxWaitMs: 200 });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
    expect(result).toMatchObject({ status: 'NO_NEW_MESSAGE', messages: [] });
  });

  it('raises InvalidSubscriptionError for a tag filter no broker plugin can evaluate', async () => {
    await expect(consumer.pull({ topic: 'orders', queueId: 0, offset: 0, tagExpression: 'TagA || TagB' })).rejects.toBeInstanceOf(
      InvalidSubscriptionError,
    );
    expect((await consumer.pull({ topic: 'orders', queueId: 0, offset: 0, tagExpression: '*' })).status).toBe('FOUND');
  });

  it('sends a SQL92 subscription as such, and refuses tags together with SQL', async () => {
    await expect(consumer.pull({ topic: 'orders', queueId: 0, offset: 0, sqlExpression: 'a > 1' })).rejects.toThrow(
      'no filter plugin is loaded to evaluate SQL92 subscriptions',
    );
    await expect(consumer.pull({ topic: 'orders', queueId: 0, offset: 0, tagExpression: 'A', sqlExpression: 'a > 1' })).rejects.toMatchObject({
      code: 'BAD_ARGUMENT',
    });
  });

  it('reads the route', async () => {
    expect(await consumer.route('orders')).toEqual({ writeQueueCount: 8, readQueueCount: 8, permission: 'rw' });
  });

  it('commits and reads back offsets', async () => {
    expect(await consumer.committedOffset('g1', 'orders', 0)).toBeUndefined();
    await consumer.commitOffset('g1', 'orders', 0, 3);
    expect(await consumer.committedOffset('g1', 'orders', 0)).toBe(3);
  });

  it('finds the first offset stored at or after a time', async () => {
    expect(await consumer.offsetForTimestamp('orders', 0, 0)).toBe(0);
    expect(await consumer.offsetForTimestamp('orders', 0, Date.now() + 60_000)).toBe(5);
  });
});
