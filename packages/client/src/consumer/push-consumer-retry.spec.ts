import type { Broker, ConsumeFailure } from '@tessera/kernel';
import type { ReceivedMessage } from '../message/received-message';
import { Producer } from '../producer/producer';
import { startTestBroker, type TestBroker } from '../testing/start-test-broker';
import { waitFor } from '../testing/wait-for';
import { PushConsumer } from './push-consumer';
import type { PushConsumerOptions } from './push-consumer-options';

/** What the broker's retry plugin does, without a backoff: a copy in the group's retry topic under its original topic. */
function retryAtOnce(broker: Broker): (failure: ConsumeFailure) => Promise<boolean> {
  return async ({ group, message }) => {
    const topic = `%RETRY%${group}`;
    if (!broker.topics.get(topic)) await broker.topics.create({ name: topic, writeQueueCount: 1 });
    const { msgId: _msgId, queueId: _queueId, ...kept } = message;
    await broker.produce(
      [{ ...kept, topic, properties: { ...message.properties, __REAL_TOPIC: message.topic }, reconsumeTimes: message.reconsumeTimes + 1 }],
      { protocol: 'internal' },
    );
    return true;
  };
}

describe('PushConsumer with a retry topic', () => {
  let broker: TestBroker;
  let producer: Producer;
  const consumers: PushConsumer[] = [];

  beforeEach(async () => {
    broker = await startTestBroker();
    await broker.runtime.broker.topics.create({ name: 'orders', writeQueueCount: 2 });
    producer = new Producer({ server: broker.server });
    await producer.start();
  });

  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.shutdown();
    await producer.shutdown();
    await broker.stop();
  });

  async function started(options: Partial<PushConsumerOptions> & Pick<PushConsumerOptions, 'listener'>): Promise<PushConsumer> {
    const consumer = new PushConsumer({
      server: broker.server,
      group: 'g1',
      topic: 'orders',
      clientId: 'member-a',
      consumeFrom: 'earliest',
      heartbeatIntervalMs: 100,
      autoCommitIntervalMs: 100,
      longPollMs: 1000,
      ...options,
    });
    consumers.push(consumer);
    await consumer.start();
    return consumer;
  }

  it("consumes its group's retry topic once the first failure created it, and hands the listener the original topic", async () => {
    jest.spyOn(broker.runtime.broker, 'reportConsumeFailure').mockImplementation(retryAtOnce(broker.runtime.broker));
    const deliveries: Array<[string, string, number]> = [];
    let failedAt = 0;
    const errors: Error[] = [];
    const consumer = await started({
      listener: ([message]: ReceivedMessage[]) => {
        deliveries.push([message!.topic, message!.body.toString(), message!.reconsumeTimes]);
        if (message!.reconsumeTimes > 0) return 'SUCCESS';
        failedAt = Date.now();
        return 'RECONSUME_LATER';
      },
    });
    consumer.on('error', (error: Error) => errors.push(error));
    expect((await broker.runtime.broker.groupMembers('g1'))[0]!.topics).toEqual(['%RETRY%g1', 'orders']);
    // Long enough for the missing retry topic's sync to back off past a second.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    await producer.send({ topic: 'orders', body: 'x', queueId: 0 });
    await waitFor(() => deliveries.length === 2, 'the redelivery through the retry topic');
    const redeliveredAfterMs = Date.now() - failedAt;

    expect(deliveries).toEqual([
      ['orders', 'x', 0],
      ['orders', 'x', 1],
    ]);
    expect(redeliveredAfterMs).toBeLessThan(500);
    expect(errors).toEqual([]);
    await waitFor(() => broker.runtime.broker.committedOffset('g1', '%RETRY%g1', 0) === 1, 'the retry topic offset committed');
    expect(broker.runtime.broker.committedOffset('g1', 'orders', 0)).toBe(1);
  });

  it('drops a failed broadcast message after its local redeliveries, without handing it to the broker', async () => {
    const report = jest.spyOn(broker.runtime.broker, 'reportConsumeFailure');
    const attempts: number[] = [];
    const errors: Error[] = [];
    const member = await started({
      messageModel: 'BROADCASTING',
      redeliveryDelayMs: 10,
      maxRedeliveries: 2,
      listener: ([message]) => (attempts.push(message!.reconsumeTimes), 'RECONSUME_LATER'),
    });
    member.on('error', (error: Error) => errors.push(error));
    await producer.send({ topic: 'orders', body: 'x', queueId: 0 });
    await waitFor(() => errors.length === 1, 'the message skipped');
    expect(attempts).toEqual([0, 1, 2]);
    expect(errors[0]!.message).toContain('skipping 1 message(s) of queue 0 after 3 failed deliveries');
    expect(report).not.toHaveBeenCalled();
  });

  it('leaves the retry topic out in ORDERLY and BROADCASTING mode', async () => {
    await started({ clientId: 'orderly', consumeMode: 'ORDERLY', listener: () => 'SUCCESS' });
    await started({ clientId: 'broadcast', group: 'g2', messageModel: 'BROADCASTING', listener: () => 'SUCCESS' });
    expect((await broker.runtime.broker.groupMembers('g1')).map((m) => m.topics)).toEqual([['orders']]);
    expect((await broker.runtime.broker.groupMembers('g2')).map((m) => m.topics)).toEqual([['orders']]);
  });
});
