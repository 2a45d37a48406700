import { InvalidSubscriptionError } from '../errors/invalid-subscription-error';
import { ReceiptStaleError } from '../errors/receipt-stale-error';
import type { LeasedMessage } from '../message/leased-message';
import { Producer } from '../producer/producer';
import { startTestBroker, type TestBroker } from '../testing/start-test-broker';
import { SimpleConsumer } from './simple-consumer';
import type { SimpleConsumerOptions } from './simple-consumer-options';

describe('SimpleConsumer', () => {
  let broker: TestBroker;
  let producer: Producer;
  const consumers: SimpleConsumer[] = [];

  beforeEach(async () => {
    broker = await startTestBroker();
    await broker.runtime.broker.topics.create({ name: 'jobs', writeQueueCount: 2 });
    producer = new Producer({ server: broker.server });
    await producer.start();
  });

  afterEach(async () => {
    for (const consumer of consumers.splice(0)) await consumer.shutdown();
    await producer.shutdown();
    await broker.stop();
  });

  async function consumer(options: Partial<SimpleConsumerOptions> = {}): Promise<SimpleConsumer> {
    const created = new SimpleConsumer({ server: broker.server, group: 'workers', topic: 'jobs', awaitDurationMs: 200, ...options });
    consumers.push(created);
    await created.start();
    return created;
  }

  async function send(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await producer.send({ topic: 'jobs', body: `job-${i}`, queueId: i % 2 });
  }

  /** Receives until `count` messages came or a receive came back empty (after its long poll). */
  async function receiveAll(from: SimpleConsumer, count: number, invisibleMs?: number): Promise<LeasedMessage[]> {
    const received: LeasedMessage[] = [];
    for (let attempt = 0; attempt < 10 && received.length < count; attempt++) {
      const batch = await from.receive(count - received.length, invisibleMs);
      if (batch.length === 0) break;
      received.push(...batch);
    }
    return received;
  }

  function bodies(messages: LeasedMessage[]): string[] {
    return messages.map((m) => m.body.toString()).sort();
  }

  it('receives leased messages from every queue; acked ones are not delivered again', async () => {
    const worker = await consumer();
    await send(6);
    const before = Date.now();
    const received = await receiveAll(worker, 6);
    expect(bodies(received)).toEqual(['job-0', 'job-1', 'job-2', 'job-3', 'job-4', 'job-5']);
    for (const message of received) {
      expect(message).toMatchObject({ topic: 'jobs', deliveryCount: 1, receipt: expect.any(String) });
      expect(message.leaseExpiresAt).toBeGreaterThanOrEqual(before + 30_000);
    }
    await worker.ack(received);
    expect(await worker.receive()).toEqual([]);
  });

  it('waits up to awaitDurationMs for a message to arrive', async () => {
    const worker = await consumer({ awaitDurationMs: 5000 });
    const receiving = worker.receive();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await send(1);
    expect(bodies(await receiving)).toEqual(['job-0']);
  });

  it('redelivers a nacked message with its delivery count raised', async () => {
    const worker = await consumer();
    await send(1);
    const [first] = await worker.receive();
    await worker.nack(first!);
    const [again] = await worker.receive();
    expect(again).toMatchObject({ msgId: first!.msgId, deliveryCount: 2 });
    expect(again!.receipt).not.toBe(first!.receipt);
  });

  it('makes a message visible again when its lease expires', async () => {
    const worker = await consumer();
    await send(1);
    const [first] = await worker.receive(1, 100);
    const [again] = await receiveAll(worker, 1, 100);
    expect(Date.now()).toBeGreaterThanOrEqual(first!.leaseExpiresAt);
    expect(again).toMatchObject({ msgId: first!.msgId, deliveryCount: 2 });
    await expect(worker.ack(first!)).rejects.toBeInstanceOf(ReceiptStaleError);
  });

  it('extends a lease with changeInvisibleTime, updating the message in place; the old receipt is stale', async () => {
    const worker = await consumer();
    await send(1);
    const [message] = await worker.receive(1, 100);
    const oldReceipt = message!.receipt;
    const oldExpiry = message!.leaseExpiresAt;
    const extended = await worker.changeInvisibleTime(message!, 60_000);
    expect(extended).toBe(message);
    expect(message!.receipt).not.toBe(oldReceipt);
    expect(message!.leaseExpiresAt).toBeGreaterThan(oldExpiry + 50_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await worker.receive()).toEqual([]);
    await expect(worker.ack({ ...message!, receipt: oldReceipt })).rejects.toBeInstanceOf(ReceiptStaleError);
    await worker.ack(message!);
  });

  it('settles the valid receipts of a batch and names the stale ones in ReceiptStaleError', async () => {
    const worker = await consumer();
    await send(2);
    const [first, second] = await receiveAll(worker, 2);
    await worker.ack(first!);
    const error = await worker.ack([first!, second!]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReceiptStaleError);
    expect((error as ReceiptStaleError).staleReceipts).toEqual([first!.receipt]);
    expect((error as ReceiptStaleError).message).toBe(
      'ack: 1 of 2 lease(s) had expired or were already settled; those messages may be delivered again',
    );
    await expect(worker.nack(second!)).rejects.toBeInstanceOf(ReceiptStaleError);
    expect(await worker.receive()).toEqual([]);
  });

  it('shares the queues among consumers of a group: each message leased to one of them', async () => {
    const [a, b] = [await consumer({ clientId: 'a' }), await consumer({ clientId: 'b' })];
    await send(8);
    const fromA = await a.receive(4);
    const fromB = await receiveAll(b, 8 - fromA.length);
    expect(bodies([...fromA, ...fromB])).toEqual(['job-0', 'job-1', 'job-2', 'job-3', 'job-4', 'job-5', 'job-6', 'job-7']);
  });

  it('receives with a SQL92 subscription, which a broker without a filter plugin refuses', async () => {
    const filtering = await consumer({ sqlExpression: "region = 'eu'" });
    await expect(filtering.receive()).rejects.toThrow(InvalidSubscriptionError);
  });

  it('refuses bad arguments before asking the broker', async () => {
    expect(() => new SimpleConsumer({ group: '', topic: 'jobs' })).toThrow('a SimpleConsumer needs a group');
    expect(() => new SimpleConsumer({ group: 'workers', topic: 'jobs', invisibleMs: 0 })).toThrow('invisibleMs must be a whole number ≥ 1, got 0');
    expect(() => new SimpleConsumer({ group: 'workers', topic: 'jobs', tagExpression: 'A', sqlExpression: 'a > 1' })).toThrow(
      expect.objectContaining({ code: 'BAD_ARGUMENT' }),
    );
    const worker = await consumer();
    await expect(worker.receive(0)).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: 'maxCount must be a whole number ≥ 1, got 0' });
    await expect(worker.nack([], -1)).rejects.toMatchObject({ code: 'BAD_ARGUMENT', message: 'redeliverAfterMs must be a whole number ≥ 0, got -1' });
  });
});
