import { PullConsumer } from './pull-consumer';
import type { ReceivedMessage } from '../message/received-message';
import { Producer } from '../producer/producer';
import { startTestBroker, type TestBroker } from '../testing/start-test-broker';
import { waitFor } from '../testing/wait-for';
import { InvalidSubscriptionError } from '../errors/invalid-subscription-error';
import { PushConsumer } from './push-consumer';
import type { PushConsumerOptions } from './push-consumer-options';

const QUEUE_COUNT = 6;

describe('PushConsumer', () => {
  let broker: TestBroker;
  let producer: Producer;
  const consumers: PushConsumer[] = [];

  beforeEach(async () => {
    broker = await startTestBroker();
    await broker.runtime.broker.topics.create({ name: 'orders', writeQueueCount: QUEUE_COUNT });
    producer = new Producer({ server: broker.server });
    await producer.start();
  });

  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.shutdown();
    await producer.shutdown();
    await broker.stop();
  });

  function consumer(options: Partial<PushConsumerOptions> & Pick<PushConsumerOptions, 'listener'>): PushConsumer {
    const created = new PushConsumer({
      server: broker.server,
      group: 'g1',
      topic: 'orders',
      consumeFrom: 'earliest',
      heartbeatIntervalMs: 100,
      autoCommitIntervalMs: 100,
      longPollMs: 1000,
      ...options,
    });
    consumers.push(created);
    return created;
  }

  async function sendToEveryQueue(perQueue: number): Promise<void> {
    for (let queueId = 0; queueId < QUEUE_COUNT; queueId++) {
      await producer.sendBatch(
        Array.from({ length: perQueue }, (_, i) => ({ topic: 'orders', body: `q${queueId}-${i}` })),
        { queueId },
      );
    }
  }

  it('splits the queues among three members and consumes each message once, in queue order', async () => {
    const received = new Map<string, number>();
    const byQueue = new Map<number, number[]>();
    const members = [0, 1, 2].map((i) =>
      consumer({
        clientId: `member-${i}`,
        listener: (messages: ReceivedMessage[]) => {
          for (const m of messages) {
            received.set(m.body.toString(), (received.get(m.body.toString()) ?? 0) + 1);
            byQueue.set(m.queueId, [...(byQueue.get(m.queueId) ?? []), m.queueOffset]);
          }
          return 'SUCCESS';
        },
      }),
    );
    for (const member of members) await member.start();
    await waitFor(
      () => members.every((m) => m.assignedQueues().length === 2) && new Set(members.flatMap((m) => m.assignedQueues())).size === QUEUE_COUNT,
      'the group to split 6 queues 2/2/2',
    );
    await sendToEveryQueue(10);
    await waitFor(() => received.size === 60, '60 distinct messages');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([...received.values()].every((count) => count === 1)).toBe(true);
    for (const offsets of byQueue.values()) expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });

  it('hands queues over to a joining member and back when it leaves, processing every message exactly once', async () => {
    const PER_QUEUE = 100;
    const processedBy = new Map<string, string[]>();
    const slowListener = (member: string) => async (messages: ReceivedMessage[]) => {
      await new Promise((resolve) => setTimeout(resolve, 2));
      for (const m of messages) processedBy.set(m.body.toString(), [...(processedBy.get(m.body.toString()) ?? []), member]);
      return 'SUCCESS' as const;
    };
    await sendToEveryQueue(PER_QUEUE);
    const first = consumer({ clientId: 'member-a', listener: slowListener('a') });
    await first.start();
    await waitFor(() => processedBy.size >= 60, 'member a to get going');
    const second = consumer({ clientId: 'member-b', listener: slowListener('b') });
    await second.start();
    await waitFor(() => second.assignedQueues().length === 3 && first.assignedQueues().length === 3, 'a 3/3 split');
    await waitFor(() => processedBy.size >= 300, 'half of the messages');
    const leavingAt = Date.now();
    await first.shutdown();
    await waitFor(() => second.assignedQueues().length === QUEUE_COUNT, 'member b to own every queue');
    const handOverMs = Date.now() - leavingAt;
    await waitFor(() => processedBy.size === PER_QUEUE * QUEUE_COUNT, 'every message', 15_000);

    expect(handOverMs).toBeLessThan(1000);
    const processedTwice = [...processedBy].filter(([, members]) => members.length > 1);
    expect(processedTwice).toEqual([]);
    const members = new Set([...processedBy.values()].flat());
    expect(members).toEqual(new Set(['a', 'b']));
  });

  it('commits offsets and leaves the group at shutdown; a restarted member resumes after them', async () => {
    const seen: string[] = [];
    const first = consumer({ listener: (messages) => (seen.push(...messages.map((m) => m.body.toString())), 'SUCCESS') });
    await first.start();
    await sendToEveryQueue(3);
    await waitFor(() => seen.length === 18, 'the first 18 messages');
    await first.shutdown();
    const offsets = new PullConsumer({ server: broker.server });
    await offsets.start();
    expect(await offsets.committedOffset('g1', 'orders', 0)).toBe(3);
    await offsets.shutdown();
    expect(await broker.runtime.broker.groupMembers('g1')).toEqual([]);

    await sendToEveryQueue(1);
    const secondOffsets: number[] = [];
    await consumer({ listener: (messages) => (secondOffsets.push(...messages.map((m) => m.queueOffset)), 'SUCCESS') }).start();
    await waitFor(() => secondOffsets.length === 6, 'the 6 newer messages');
    expect(secondOffsets).toEqual([3, 3, 3, 3, 3, 3]);
  });

  it('delivers every message to every member when broadcasting', async () => {
    const counts = [0, 0];
    const members = [0, 1].map((i) =>
      consumer({ clientId: `b-${i}`, messageModel: 'BROADCASTING', listener: (messages) => ((counts[i]! += messages.length), 'SUCCESS') }),
    );
    for (const member of members) await member.start();
    expect(members.map((m) => m.assignedQueues().length)).toEqual([QUEUE_COUNT, QUEUE_COUNT]);
    await sendToEveryQueue(5);
    await waitFor(() => counts[0] === 30 && counts[1] === 30, 'both members to see all 30 messages');
  });

  it('redelivers a message the listener asks to reconsume, after a delay', async () => {
    const attempts: number[] = [];
    let firstAt = 0;
    let secondAt = 0;
    await consumer({
      redeliveryDelayMs: 100,
      consumeBatchSize: 1,
      listener: (messages) => {
        attempts.push(messages[0]!.reconsumeTimes);
        if (attempts.length === 1) {
          firstAt = Date.now();
          return 'RECONSUME_LATER';
        }
        secondAt = Date.now();
        return 'SUCCESS';
      },
    }).start();
    await producer.send({ topic: 'orders', body: 'retry me', queueId: 0 });
    await waitFor(() => attempts.length === 2, 'the redelivery');
    expect(attempts).toEqual([0, 1]);
    expect(secondAt - firstAt).toBeGreaterThanOrEqual(90);
  });

  it('fails start() for a subscription the broker cannot evaluate, and refuses tags together with SQL at once', async () => {
    // The test broker loads no filter plugin, so it refuses every filtering subscription.
    const filtering = consumer({ sqlExpression: "region = 'eu'", listener: () => 'SUCCESS' });
    await expect(filtering.start()).rejects.toThrow(InvalidSubscriptionError);
    expect(filtering.assignedQueues()).toEqual([]);
    expect(() => consumer({ tagExpression: 'A', sqlExpression: 'a > 1', listener: () => 'SUCCESS' })).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
  });

  it('starts before its topic exists, reports why it has no queues, and picks them up once it does', async () => {
    const errors: Error[] = [];
    const seen: string[] = [];
    const early = consumer({ topic: 'later', listener: (messages) => (seen.push(...messages.map((m) => m.body.toString())), 'SUCCESS') });
    early.on('error', (error: Error) => errors.push(error));
    await early.start();
    expect(early.assignedQueues()).toEqual([]);
    await waitFor(() => errors.length > 0, 'an error event');
    expect(errors[0]!.name).toBe('TopicNotFoundError');
    await producer.send({ topic: 'later', body: 'first', queueId: 0 });
    await waitFor(() => early.assignedQueues().length === 8, 'the assignment');
    await producer.send({ topic: 'later', body: 'second', queueId: 0 });
    await waitFor(() => seen.length === 2, 'both messages');
    expect(seen).toEqual(['first', 'second']);
  });

  it('redelivers when the listener throws, and emits rebalance events', async () => {
    const rebalances: number[][] = [];
    let calls = 0;
    const member = consumer({
      redeliveryDelayMs: 20,
      listener: () => {
        calls++;
        if (calls < 3) throw new Error('flaky');
        return 'SUCCESS';
      },
    });
    member.on('rebalance', (queues: number[]) => rebalances.push(queues));
    await member.start();
    expect(rebalances).toEqual([[0, 1, 2, 3, 4, 5]]);
    await producer.send({ topic: 'orders', body: 'x', queueId: 2 });
    await waitFor(() => calls === 3, 'two redeliveries');
  });

  it('keeps queue order in ORDERLY mode: a failed batch is retried in place, then reported and skipped', async () => {
    const reported: string[] = [];
    jest.spyOn(broker.runtime.broker, 'reportConsumeFailure').mockImplementation(async (failure) => {
      reported.push(`${failure.message.body.toString()} after ${failure.deliveryCount}`);
      return true;
    });
    const attempts: string[] = [];
    const failuresLeft = new Map([
      ['q0-2', 2],
      ['q0-5', Number.POSITIVE_INFINITY],
    ]);
    await consumer({
      consumeMode: 'ORDERLY',
      redeliveryDelayMs: 10,
      maxRedeliveries: 3,
      autoCommitIntervalMs: 60_000,
      listener: (messages) => {
        const body = messages[0]!.body.toString();
        attempts.push(body);
        const left = failuresLeft.get(body) ?? 0;
        if (left === 0) return 'SUCCESS';
        failuresLeft.set(body, left - 1);
        return 'RECONSUME_LATER';
      },
    }).start();
    await producer.sendBatch(
      Array.from({ length: 8 }, (_, i) => ({ topic: 'orders', body: `q0-${i}` })),
      { queueId: 0 },
    );
    await waitFor(() => attempts.includes('q0-7'), 'the last message');

    expect(attempts).toEqual(['q0-0', 'q0-1', 'q0-2', 'q0-2', 'q0-2', 'q0-3', 'q0-4', 'q0-5', 'q0-5', 'q0-5', 'q0-5', 'q0-6', 'q0-7']);
    // With its own delivery count, so a retry plugin dead-letters it instead of retrying it again.
    expect(reported).toEqual(['q0-5 after 4']);
    // Committed after every batch, not only on the (here one-minute) auto-commit timer.
    await waitFor(() => broker.runtime.broker.committedOffset('g1', 'orders', 0) === 8, 'offset 8 committed');
  });
});
