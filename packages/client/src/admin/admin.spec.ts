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

  it('lists groups and describes members and lag', async () => {
    await admin.createTopic({ name: 'orders', writeQueueCount: 2 });
    const producer = new Producer({ server: broker.server });
    await producer.start();
    await producer.sendBatch([{ topic: 'orders', body: 'a' }, { topic: 'orders', body: 'b' }], { queueId: 0 });
    const consumer = new PushConsumer({
      server: broker.server,
      group: 'g1',
      topic: 'orders',
      clientId: 'c-1',
      consumeFrom: 'earliest',
      autoCommitIntervalMs: 50,
      listener: () => 'SUCCESS',
    });
    try {
      await consumer.start();
      expect(await admin.listGroups()).toEqual(['g1']);
      await waitFor(async () => (await admin.describeGroup('g1', 'orders')).queues[0]!.lag === 0, 'the group to catch up');
      const described = await admin.describeGroup('g1', 'orders');
      expect(described.members).toEqual([{ clientId: 'c-1', messageModel: 'CLUSTERING', topics: ['orders'], lastHeartbeatAt: expect.any(Number) }]);
      expect(described.queues[0]).toEqual({ queueId: 0, committedOffset: 2, maxOffset: 2, lag: 0 });
      await expect(admin.describeGroup('nobody', 'orders')).rejects.toBeInstanceOf(BrokerError);
    } finally {
      await consumer.shutdown();
      await producer.shutdown();
    }
  });
});
