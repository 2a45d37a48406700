import { PushConsumer } from '../consumer/push-consumer';
import { BrokerError } from '../errors/broker-error';
import { TopicNotFoundError } from '../errors/topic-not-found-error';
import { Producer } from '../producer/producer';
import { startTestBroker, type TestBroker } from '../testing/start-test-broker';
import { waitFor } from '../testing/wait-for';
import { Admin } from './admin';

describe('Admin', () => {
  let broker: TestBroker;
  let admin: Admin;

  beforeEach(async () => {
    broker = await startTestBroker({ broker: { autoCreateTopics: false } });
    admin = new Admin({ server: broker.server });
    await admin.start();
  });

  afterEach(async () => {
    await admin.shutdown();
    await broker.stop();
  });

  it('creates, lists, updates, describes and deletes topics', async () => {
    const created = await admin.createTopic({ name: 'orders', writeQueueCount: 4 });
    expect(created).toMatchObject({ name: 'orders', writeQueueCount: 4, readQueueCount: 4, permission: 'rw', system: false });
    await expect(admin.createTopic({ name: 'orders' })).rejects.toMatchObject({ code: 'TOPIC_ALREADY_EXISTS' });
    await expect(admin.createTopic({ name: 'bad name!' })).rejects.toMatchObject({ code: 'INVALID_TOPIC_NAME' });
    expect((await admin.listTopics()).map((t) => t.name)).toEqual(['orders']);
    expect(await admin.updateTopic('orders', { permission: 'r' })).toMatchObject({ permission: 'r', writeQueueCount: 4 });
    const described = await admin.describeTopic('orders');
    expect(described.queues).toEqual([0, 1, 2, 3].map((queueId) => ({ queueId, minOffset: 0, maxOffset: 0 })));
    await admin.deleteTopic('orders');
    await expect(admin.describeTopic('orders')).rejects.toBeInstanceOf(TopicNotFoundError);
  });

  it('finds messages by id and by key', async () => {
    await admin.createTopic({ name: 'orders', writeQueueCount: 2 });
    const producer = new Producer({ server: broker.server });
    await producer.start();
    try {
      const sent = await producer.send({ topic: 'orders', body: 'payload', keys: ['order-1'], tag: 'T' });
      await producer.send({ topic: 'orders', body: 'other', keys: ['order-2'] });
      const byId = await admin.getMessageById(sent.msgId);
      expect(byId).toMatchObject({ msgId: sent.msgId, topic: 'orders', tag: 'T', keys: ['order-1'] });
      expect(byId.body.toString()).toBe('payload');
      expect((await admin.queryMessagesByKey('orders', 'order-1')).map((m) => m.msgId)).toEqual([sent.msgId]);
      await expect(admin.getMessageById('FFFFFFFF00000000000FFFFF')).rejects.toMatchObject({ code: 'MESSAGE_NOT_FOUND' });
    } finally {
      await producer.shutdown();
    }
  });

  it('finds the messages of a topic stored within a time range', async () => {
    await admin.createTopic({ name: 'orders', writeQueueCount: 2 });
    await admin.createTopic({ name: 'other', writeQueueCount: 1 });
    const producer = new Producer({ server: broker.server });
    await producer.start();
    try {
      const pause = () => new Promise((resolve) => setTimeout(resolve, 20));
      await producer.send({ topic: 'orders', body: 'before', queueId: 0 });
      await pause();
      const from = new Date();
      const inside = [
        await producer.send({ topic: 'orders', body: 'a', queueId: 1 }),
        await producer.send({ topic: 'orders', body: 'b', queueId: 0 }),
        await producer.send({ topic: 'orders', body: 'c', queueId: 1 }),
      ];
      await producer.send({ topic: 'other', body: 'elsewhere' });
      const to = Date.now();
      await pause();
      await producer.send({ topic: 'orders', body: 'after', queueId: 1 });

      const found = await admin.queryMessagesByTime('orders', from, to);
      expect(found.map((m) => [m.queueId, m.body.toString()])).toEqual([
        [0, 'b'],
        [1, 'a'],
        [1, 'c'],
      ]);
      expect(found.map((m) => m.msgId).sort()).toEqual(inside.map((s) => s.msgId).sort());
      expect(await admin.queryMessagesByTime('orders', from, to, 1)).toHaveLength(1);
      await expect(admin.queryMessagesByTime('orders', to, from)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(admin.queryMessagesByTime('nothing', from, to)).rejects.toBeInstanceOf(TopicNotFoundError);
      await expect(admin.queryMessagesByTime('orders', new Date('nonsense'), to)).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    } finally {
      await producer.shutdown();
    }
  });

  it('lists groups and describes members, their strategy, and per queue the committed offset, lag and owner', async () => {
    await admin.createTopic({ name: 'orders', writeQueueCount: 2 });
    const producer = new Producer({ server: broker.server });
    await producer.start();
    await producer.sendBatch([{ topic: 'orders', body: 'a' }, { topic: 'orders', body: 'b' }], { queueId: 0 });
    const consumer = new PushConsumer({
      server: broker.server,
      group: 'g1',
      topic: 'orders',
      clientId: 'c-1',
      allocationStrategy: 'round-robin',
      consumeFrom: 'earliest',
      autoCommitIntervalMs: 50,
      listener: () => 'SUCCESS',
    });
    try {
      await consumer.start();
      expect(await admin.listGroups()).toEqual(['g1']);
      await waitFor(async () => (await admin.describeGroup('g1', 'orders')).queues[0]!.lag === 0, 'the group to catch up');
      const described = await admin.describeGroup('g1');
      expect(described.members).toEqual([
        { clientId: 'c-1', messageModel: 'CLUSTERING', topics: ['%RETRY%g1', 'orders'], lastHeartbeatAt: expect.any(Number), allocationStrategy: 'round-robin' },
      ]);
      expect(described.queues).toEqual([
        { topic: 'orders', queueId: 0, committedOffset: 2, minOffset: 0, maxOffset: 2, lag: 0, owner: 'c-1' },
        { topic: 'orders', queueId: 1, committedOffset: 0, minOffset: 0, maxOffset: 0, lag: 0, owner: 'c-1' },
      ]);
      await expect(admin.describeGroup('nobody', 'orders')).rejects.toBeInstanceOf(BrokerError);
    } finally {
      await consumer.shutdown();
      await producer.shutdown();
    }
  });

  describe('resetOffset', () => {
    let producer: Producer;
    const consumed: number[] = [];
    let consumer: PushConsumer;

    beforeEach(async () => {
      consumed.length = 0;
      await admin.createTopic({ name: 'orders', writeQueueCount: 1 });
      producer = new Producer({ server: broker.server });
      await producer.start();
      consumer = new PushConsumer({
        server: broker.server,
        group: 'g1',
        topic: 'orders',
        clientId: 'c-1',
        consumeFrom: 'earliest',
        autoCommitIntervalMs: 50,
        listener: (messages) => (consumed.push(...messages.map((m) => m.queueOffset)), 'SUCCESS'),
      });
    });

    afterEach(async () => {
      await consumer.shutdown();
      await producer.shutdown();
    });

    async function waitForConsumed(count: number): Promise<void> {
      await waitFor(() => consumed.length === count, `${count} messages consumed`);
      await waitFor(async () => (await admin.describeGroup('g1', 'orders')).queues[0]!.committedOffset === 5, 'offset 5 committed');
    }

    it('moves a running group back to an offset, and the member replays from there', async () => {
      await consumer.start();
      await producer.sendBatch([0, 1, 2, 3, 4].map((i) => ({ topic: 'orders', body: `m${i}` })), { queueId: 0 });
      await waitForConsumed(5);
      expect(await admin.resetOffset('g1', 'orders', { toOffset: 2 })).toEqual([{ queueId: 0, offset: 2 }]);
      await waitForConsumed(8);
      expect(consumed).toEqual([0, 1, 2, 3, 4, 2, 3, 4]);
    });

    it('moves a group to the first message stored at or after a timestamp', async () => {
      await producer.sendBatch([0, 1, 2].map((i) => ({ topic: 'orders', body: `early${i}` })), { queueId: 0 });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const between = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await producer.sendBatch([3, 4].map((i) => ({ topic: 'orders', body: `late${i}` })), { queueId: 0 });
      await consumer.start();
      await waitForConsumed(5);
      expect(await admin.resetOffset('g1', 'orders', { toTimestamp: between })).toEqual([{ queueId: 0, offset: 3 }]);
      await waitForConsumed(7);
      expect(consumed).toEqual([0, 1, 2, 3, 4, 3, 4]);
    });

    it('refuses an unknown topic', async () => {
      await expect(admin.resetOffset('g1', 'missing', { toOffset: 0 })).rejects.toBeInstanceOf(TopicNotFoundError);
    });
  });
});
