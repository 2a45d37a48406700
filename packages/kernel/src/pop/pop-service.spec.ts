import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PullWaiters } from '../dispatch/pull-waiters';
import { ErrorCode } from '../errors/error-code';
import type { ConsumeFailure, MessageHooks } from '../hooks/message-hooks';
import type { LeasedMessage } from './leased-message';
import { POP_JOURNAL_TOPIC } from './pop-journal-topic';
import { bodies, hooksPlugin, keyOf, popServiceHarness, replicationPlugin, sleep, where } from './pop-service-harness.spec-helper';

describe('PopService', () => {
  const harness = popServiceHarness();
  const { start, produce, request } = harness;

  it('shares a topic among three consumers: every message is delivered once when all ack', async () => {
    const { broker, pop } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 2 });
    const total = 300;
    await produce(broker, 't', total);
    const deliveries = new Map<string, number>();
    const perConsumer = new Map<string, number>();
    const consume = async (clientId: string) => {
      const until = Date.now() + 10_000;
      for (let round = 0; round < 200 && deliveries.size < total && Date.now() < until; round++) {
        const leased = await broker.receive(request({ clientId, maxCount: 16, maxWaitMs: 50 }));
        for (const key of where(leased)) deliveries.set(key, (deliveries.get(key) ?? 0) + 1);
        perConsumer.set(clientId, (perConsumer.get(clientId) ?? 0) + leased.length);
        expect(leased.every((m) => m.deliveryCount === 1)).toBe(true);
        await expect(broker.ack('g', leased.map((m) => m.receipt))).resolves.toEqual(leased.map(() => 'OK'));
      }
    };
    await Promise.all(['a', 'b', 'c'].map(consume));
    expect(deliveries.size).toBe(total);
    expect([...deliveries.values()].every((n) => n === 1)).toBe(true);
    expect([...perConsumer.values()].every((n) => n > 0)).toBe(true);
    expect(pop.progress('g', 't')).toEqual([
      { queueId: 0, ackedUpTo: 150, cursor: 150, inflight: 0, visibleAgain: 0 },
      { queueId: 1, ackedUpTo: 150, cursor: 150, inflight: 0, visibleAgain: 0 },
    ]);
    await expect(broker.receive(request())).resolves.toEqual([]);
  });

  it('redelivers a nacked message with its delivery count raised; the nacked receipt is stale', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 2);
    const [first, second] = await broker.receive(request());
    expect([first!.deliveryCount, second!.deliveryCount]).toEqual([1, 1]);
    await expect(broker.nack('g', [first!.receipt])).resolves.toEqual(['OK']);
    await expect(broker.ack('g', [first!.receipt, second!.receipt])).resolves.toEqual(['STALE', 'OK']);
    const [again] = await broker.receive(request({ clientId: 'c2' }));
    expect(again).toMatchObject({ deliveryCount: 2, message: { queueOffset: 0 } });
    expect(again!.receipt).not.toBe(first!.receipt);
    await expect(broker.nack('g', [again!.receipt], 200)).resolves.toEqual(['OK']);
    await expect(broker.receive(request())).resolves.toEqual([]);
    const later = await broker.receive(request({ maxWaitMs: 2000 }));
    expect(later).toMatchObject([{ deliveryCount: 3, message: { queueOffset: 0 } }]);
  });

  it('settles a receipt given twice in one call once: the second is stale', async () => {
    const { broker, pop } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 2);
    const [first, second] = await broker.receive(request());
    await expect(broker.ack('g', [first!.receipt, first!.receipt])).resolves.toEqual(['OK', 'STALE']);
    await expect(broker.release('g', [second!.receipt, second!.receipt])).resolves.toEqual(['OK', 'STALE']);
    expect(pop.progress('g', 't')).toEqual([{ queueId: 0, ackedUpTo: 1, cursor: 2, inflight: 0, visibleAgain: 1 }]);
    expect(await broker.receive(request())).toMatchObject([{ deliveryCount: 1, message: { queueOffset: 1 } }]);
  });

  it('keeps a message released or nacked notToSameConsumer from that consumer only', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 2);
    const [first, second] = await broker.receive(request({ clientId: 'picky' }));
    await expect(broker.release('g', [first!.receipt], { notToSameConsumer: true })).resolves.toEqual(['OK']);
    await expect(broker.nack('g', [second!.receipt], 0, { notToSameConsumer: true })).resolves.toEqual(['OK']);
    const startedAt = Date.now();
    await expect(broker.receive(request({ clientId: 'picky', maxWaitMs: 300 }))).resolves.toEqual([]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250);
    const other = await broker.receive(request({ clientId: 'other' }));
    expect(other.map((m) => [m.message.queueOffset, m.deliveryCount])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    await broker.nack('g', other.map((m) => m.receipt));
    await expect(broker.receive(request({ clientId: 'picky' }))).resolves.toEqual([]);
    await produce(broker, 't', 1);
    expect(where(await broker.receive(request({ clientId: 'picky', maxWaitMs: 1000 })))).toEqual(['0:2']);
  });

  it('ends every lease of a group at once, across topics and a restart, leaving other groups alone', async () => {
    const first = await start();
    await first.broker.topics.create({ name: 't', writeQueueCount: 2 });
    await first.broker.topics.create({ name: 'u', writeQueueCount: 1 });
    await produce(first.broker, 't', 4);
    await produce(first.broker, 'u', 2);
    const onT = await first.broker.receive(request({ maxCount: 3 }));
    const onU = await first.broker.receive(request({ topic: 'u' }));
    const otherGroup = await first.broker.receive(request({ group: 'h', topic: 'u' }));
    await first.broker.ack('g', [onT[0]!.receipt]);
    await first.runtime.stop();
    const { broker } = await start();
    expect(broker.perMessageAckGroups().sort()).toEqual(['g', 'h']);
    await expect(broker.releasePerMessageAckLeases('g')).resolves.toBe(onT.length - 1 + onU.length);
    const label = (m: LeasedMessage) => `${m.message.topic}:${keyOf(m)}`;
    const againOnT = await broker.receive(request({ maxCount: 10 }));
    const againOnU = await broker.receive(request({ topic: 'u' }));
    expect(againOnU.map((m) => [label(m), m.deliveryCount])).toEqual(onU.map((m) => [label(m), 2]));
    const released = new Set(onT.slice(1).map(label));
    expect(againOnT).toHaveLength(3);
    for (const m of againOnT) expect(m.deliveryCount).toBe(released.has(label(m)) ? 2 : 1);
    await expect(broker.receive(request({ group: 'h', topic: 'u' }))).resolves.toEqual([]);
    expect(otherGroup).toHaveLength(2);
  });

  it('makes a message whose lease expired visible again, and wakes a held receive for it', async () => {
    const { broker, pop } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 1);
    const [leased] = await broker.receive(request({ invisibleMs: 150 }));
    expect(pop.progress('g', 't')).toEqual([{ queueId: 0, ackedUpTo: 0, cursor: 1, inflight: 1, visibleAgain: 0 }]);
    const started = Date.now();
    const [again] = await broker.receive(request({ clientId: 'c2', maxWaitMs: 3000 }));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(again).toMatchObject({ deliveryCount: 2, message: { queueOffset: 0 } });
    expect(again!.leaseExpiresAt).toBeGreaterThan(leased!.leaseExpiresAt);
    await expect(broker.ack('g', [leased!.receipt])).resolves.toEqual(['STALE']);
    await expect(broker.ack('g', [again!.receipt])).resolves.toEqual(['OK']);
  });

  it('extends a lease under a new receipt; the old one is stale', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 1);
    const [leased] = await broker.receive(request({ invisibleMs: 100 }));
    const changed = await broker.changeInvisibleTime('g', leased!.receipt, 5000);
    expect(changed.leaseExpiresAt).toBeGreaterThan(leased!.leaseExpiresAt + 4000);
    await expect(broker.changeInvisibleTime('g', leased!.receipt, 5000)).rejects.toMatchObject({ code: ErrorCode.RECEIPT_STALE });
    await sleep(200);
    await expect(broker.receive(request({ clientId: 'c2' }))).resolves.toEqual([]);
    await expect(broker.ack('g', [leased!.receipt, changed.receipt])).resolves.toEqual(['STALE', 'OK']);
  });

  it('renews many leases at once under new receipts, across a restart; an ended lease is left out', async () => {
    const first = await start();
    await first.broker.topics.create({ name: 't', writeQueueCount: 2 });
    await produce(first.broker, 't', 4);
    const leased = await first.broker.receive(request({ invisibleMs: 150 }));
    expect(leased).toHaveLength(4);
    await first.broker.ack('g', [leased[3]!.receipt]);
    const renewed = await first.broker.renewLeases('g', leased.map((m) => m.receipt), 60_000);
    expect(renewed[3]).toBeUndefined();
    expect(renewed.slice(0, 3).every((r) => r !== undefined && r.leaseExpiresAt > Date.now() + 50_000)).toBe(true);
    await first.runtime.stop();
    const { broker } = await start();
    await sleep(300);
    await expect(broker.receive(request({ clientId: 'c2' }))).resolves.toEqual([]);
    const settled = await broker.ack('g', [leased[0]!.receipt, ...renewed.slice(0, 3).map((r) => r!.receipt)]);
    expect(settled).toEqual(['STALE', 'OK', 'OK', 'OK']);
  });

  it('releases a lease without counting the delivery: visible again at once, delivery count unchanged', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 1);
    for (let round = 0; round < 3; round++) {
      const [leased] = await broker.receive(request());
      expect(leased!.deliveryCount).toBe(1);
      await expect(broker.release('g', [leased!.receipt])).resolves.toEqual(['OK']);
      await expect(broker.release('g', [leased!.receipt])).resolves.toEqual(['STALE']);
    }
    const [leased] = await broker.receive(request());
    await broker.nack('g', [leased!.receipt]);
    await expect(broker.receive(request())).resolves.toMatchObject([{ deliveryCount: 2 }]);
  });

  it('holds a receive until a message is produced, and answers within milliseconds of it', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 4 });
    const held = broker.receive(request({ maxWaitMs: 5000 }));
    await sleep(50);
    await produce(broker, 't', 1, 3);
    const producedAt = Date.now();
    const leased = await held;
    expect(Date.now() - producedAt).toBeLessThan(50);
    expect(where(leased)).toEqual(['3:0']);
  });

  it('wakes a held receive within milliseconds of a nack that makes a message visible', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 1);
    const [leased] = await broker.receive(request());
    const held = broker.receive(request({ clientId: 'c2', maxWaitMs: 5000 }));
    await sleep(50);
    await broker.nack('g', [leased!.receipt]);
    const nackedAt = Date.now();
    const again = await held;
    expect(Date.now() - nackedAt).toBeLessThan(50);
    expect(again).toMatchObject([{ deliveryCount: 2, message: { queueOffset: 0 } }]);
  });

  it('answers a held receive with nothing when its wait passes or it is aborted', async () => {
    const { broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    const started = Date.now();
    await expect(broker.receive(request({ maxWaitMs: 100 }))).resolves.toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
    const controller = new AbortController();
    const held = broker.receive(request({ maxWaitMs: 5000, signal: controller.signal }));
    controller.abort();
    await expect(held).resolves.toEqual([]);
  });

  it('keeps each consumer within its in-flight messages, and lets a held one go on when it settles', async () => {
    const { broker } = await start({ popMaxInflightMessagesPerConsumer: 3 });
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 10);
    const first = await broker.receive(request({ maxCount: 10 }));
    expect(bodies(first)).toEqual(['m0', 'm1', 'm2']);
    await expect(broker.receive(request())).resolves.toEqual([]);
    await expect(broker.receive(request({ clientId: 'c2', maxCount: 2 }))).resolves.toHaveLength(2);
    await expect(broker.receive(request({ group: 'other', maxCount: 10 }))).resolves.toHaveLength(3);
    const held = broker.receive(request({ maxWaitMs: 5000 }));
    await sleep(30);
    await broker.ack('g', [first[0]!.receipt]);
    const ackedAt = Date.now();
    expect(bodies(await held)).toEqual(['m5']);
    expect(Date.now() - ackedAt).toBeLessThan(50);
  });

  it('wakes held receives on an ack only when one is held at its in-flight limit', async () => {
    const { runtime, broker } = await start({ popMaxInflightMessagesPerConsumer: 2 });
    const notifyTopic = jest.spyOn(runtime.container.get(PullWaiters), 'notifyTopic');
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 1);
    const [first] = await broker.receive(request());
    const controller = new AbortController();
    const idle = broker.receive(request({ clientId: 'c2', maxWaitMs: 5000, signal: controller.signal }));
    await sleep(10);
    await broker.ack('g', [first!.receipt]);
    expect(notifyTopic).not.toHaveBeenCalled();
    controller.abort();
    await expect(idle).resolves.toEqual([]);
    await produce(broker, 't', 3);
    const leased = await broker.receive(request({ maxCount: 10 }));
    expect(leased).toHaveLength(2);
    const atLimit = broker.receive(request({ maxWaitMs: 5000 }));
    await sleep(10);
    await broker.ack('g', [leased[0]!.receipt]);
    expect(notifyTopic).toHaveBeenCalledWith('t');
    expect(await atLimit).toHaveLength(1);
  });

  it('answers connection-bound leases before their journal entry is durable; others only after', async () => {
    const held: Array<() => void> = [];
    let holdJournal = false;
    const slowJournal = replicationPlugin((messages) => {
      const appended = harness.engine().append(messages);
      if (!holdJournal || messages[0]!.topic !== POP_JOURNAL_TOPIC) return appended;
      return new Promise((resolve) => held.push(() => resolve(appended)));
    });
    const { broker } = await start({}, [slowJournal]);
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 2);
    holdJournal = true;
    const bound = await broker.receive(request({ maxCount: 1, leasesEndWithConnection: true }));
    expect(bodies(bound)).toEqual(['m0']);
    expect(held).toHaveLength(1);
    let answered = false;
    const unbound = broker.receive(request({ clientId: 'c2', maxCount: 1 })).then((leased) => ((answered = true), leased));
    await sleep(20);
    expect(answered).toBe(false);
    holdJournal = false;
    for (const release of held.splice(0)) release();
    expect(bodies(await unbound)).toEqual(['m1']);
    await expect(broker.ack('g', [bound[0]!.receipt])).resolves.toEqual(['OK']);
  });

  it('keeps each consumer within its in-flight bytes, exceeding them by one message at most', async () => {
    const { broker } = await start({ popMaxInflightBytesPerConsumer: 5 });
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 5);
    expect(bodies(await broker.receive(request()))).toEqual(['m0', 'm1']);
    expect(bodies(await broker.receive(request()))).toEqual(['m2']);
    await expect(broker.receive(request())).resolves.toEqual([]);
    expect(bodies(await broker.receive(request({ clientId: 'c2', maxBytes: 1 })))).toEqual(['m3']);
  });

  it('bounds the window of a queue: at the bound it only redelivers until the oldest message is acked', async () => {
    const { broker, pop } = await start({ popMaxWindowPerQueue: 4 });
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 10);
    const leased = await broker.receive(request());
    expect(bodies(leased)).toEqual(['m0', 'm1', 'm2', 'm3']);
    await broker.ack('g', [leased[1]!.receipt, leased[2]!.receipt]);
    await expect(broker.receive(request())).resolves.toEqual([]);
    await broker.nack('g', [leased[3]!.receipt]);
    expect(bodies(await broker.receive(request()))).toEqual(['m3']);
    await broker.ack('g', [leased[0]!.receipt]);
    expect(bodies(await broker.receive(request()))).toEqual(['m4', 'm5', 'm6']);
    expect(pop.progress('g', 't')).toEqual([{ queueId: 0, ackedUpTo: 3, cursor: 7, inflight: 4, visibleAgain: 0 }]);
  });

  it('takes messages its subscription filter drops as acked, and starts a group at the latest message when asked', async () => {
    const onlyA: MessageHooks = {
      name: 'only-a',
      createReadFilter: (subscription) =>
        subscription.expression === 'A' ? { matchMessage: (message) => message.tag === 'A' } : undefined,
    };
    const { broker, pop } = await start({}, [hooksPlugin(onlyA)]);
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 6, 0, (i) => (i % 3 === 0 ? 'A' : 'B'));
    const subscription = { group: 'g', topic: 't', expressionType: 'TAG' as const, expression: 'A' };
    const leased = await broker.receive(request({ subscription }));
    expect(bodies(leased)).toEqual(['m0', 'm3']);
    await broker.ack('g', leased.map((m) => m.receipt));
    expect(pop.progress('g', 't')).toEqual([{ queueId: 0, ackedUpTo: 6, cursor: 6, inflight: 0, visibleAgain: 0 }]);

    const latest = broker.receive(request({ group: 'late', startFrom: 'LATEST', maxWaitMs: 5000 }));
    await sleep(20);
    await produce(broker, 't', 1, 0);
    expect(where(await latest)).toEqual(['0:6']);
  });

  it('hands a message past popMaxDeliveries to the consume-failure hooks, and acks it away when one takes it', async () => {
    const failures: ConsumeFailure[] = [];
    let noticed: () => void = () => undefined;
    const retry: MessageHooks = {
      name: 'retry',
      onConsumeFailure: async (failure) => {
        failures.push(failure);
        noticed();
        return failure.message.topic === 't';
      },
    };
    const { broker, pop } = await start({ popMaxDeliveries: 2 }, [hooksPlugin(retry)]);
    for (const name of ['t', 'kept']) {
      await broker.topics.create({ name, writeQueueCount: 1 });
      await produce(broker, name, 1);
      for (let delivery = 1; delivery <= 2; delivery++) {
        const [leased] = await broker.receive(request({ topic: name }));
        expect(leased!.deliveryCount).toBe(delivery);
        const handedOver = new Promise<void>((resolve) => (noticed = resolve));
        await broker.nack('g', [leased!.receipt]);
        if (delivery === 2) await handedOver;
      }
    }
    expect(failures.map((f) => [f.group, f.message.topic, f.message.queueOffset, f.reason, f.deliveryCount])).toEqual([
      ['g', 't', 0, 'nacked after 2 deliveries', 2],
      ['g', 'kept', 0, 'nacked after 2 deliveries', 2],
    ]);
    await expect(broker.receive(request({ topic: 't' }))).resolves.toEqual([]);
    expect(pop.progress('g', 't')).toEqual([{ queueId: 0, ackedUpTo: 1, cursor: 1, inflight: 0, visibleAgain: 0 }]);
    const [kept] = await broker.receive(request({ topic: 'kept', maxWaitMs: 2000 }));
    expect(kept!.deliveryCount).toBe(3);
  });

  it('refuses what it cannot serve, with a code that says why', async () => {
    const { broker } = await start({ autoCreateTopics: true });
    await broker.topics.create({ name: 't', writeQueueCount: 2 });
    await expect(broker.receive(request({ topic: 'missing' }))).rejects.toMatchObject({ code: ErrorCode.TOPIC_NOT_FOUND });
    await expect(broker.receive(request({ queueId: 2 }))).rejects.toMatchObject({ code: ErrorCode.INVALID_QUEUE });
    await expect(broker.receive(request({ maxCount: 0 }))).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await expect(broker.receive(request({ invisibleMs: 0 }))).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await expect(broker.receive(request({ clientId: '' }))).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await expect(broker.ack('g', ['not a receipt'])).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await expect(broker.nack('g', [], -1)).rejects.toMatchObject({ code: ErrorCode.BAD_REQUEST });
    await broker.topics.update('t', { permission: 'w' });
    await expect(broker.receive(request())).rejects.toMatchObject({ code: ErrorCode.NO_PERMISSION });
    await broker.topics.update('t', { permission: 'rw' });
    await produce(broker, 't', 1, 0);
    const [leased] = await broker.receive(request());
    await expect(broker.ack('unknown-group', [leased!.receipt])).resolves.toEqual(['STALE']);

    await expect(produce(broker, POP_JOURNAL_TOPIC, 1)).rejects.toMatchObject({ code: ErrorCode.INVALID_TOPIC_NAME });
    await expect(broker.receive(request({ topic: POP_JOURNAL_TOPIC }))).rejects.toMatchObject({ code: ErrorCode.TOPIC_NOT_FOUND });
    expect(broker.topics.list().map((t) => t.name)).toEqual(['t']);
    expect(harness.engine().queueRange(POP_JOURNAL_TOPIC, 0).maxOffset).toBeGreaterThan(0);
  });

  it('acks every message exactly once with consecutive delivery counts under random acks, nacks and expiries across a crash', async () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const total = 2000;
    let node = await start({ popMaxDeliveries: 1000, popCheckpointIntervalMs: 3_600_000 });
    await node.broker.topics.create({ name: 't', writeQueueCount: 2 });
    for (let i = 0; i < total; i += 500) await produce(node.broker, 't', 500);
    const deliveryCounts = new Map<string, number[]>();
    const acks = new Map<string, number>();
    const consume = async (clientId: string, stopAfterAcks: number) => {
      const until = Date.now() + 20_000;
      for (let round = 0; round < 5000 && acks.size < stopAfterAcks && Date.now() < until; round++) {
        const leased = await node.broker.receive(request({ clientId, maxCount: 20, invisibleMs: 100, maxWaitMs: 50 }));
        const toAck: LeasedMessage[] = [];
        const toNack: LeasedMessage[] = [];
        for (const message of leased) {
          deliveryCounts.set(keyOf(message), [...(deliveryCounts.get(keyOf(message)) ?? []), message.deliveryCount]);
          const roll = random();
          if (roll < 0.7) toAck.push(message);
          else if (roll < 0.85) toNack.push(message);
        }
        const results = await node.broker.ack('g', toAck.map((m) => m.receipt));
        results.forEach((result, i) => {
          if (result === 'OK') acks.set(keyOf(toAck[i]!), (acks.get(keyOf(toAck[i]!)) ?? 0) + 1);
        });
        await node.broker.nack('g', toNack.map((m) => m.receipt), random() < 0.5 ? 0 : 20);
      }
    };
    await Promise.all(['a', 'b', 'c'].map((clientId) => consume(clientId, total / 2)));
    await node.runtime.stop();
    rmSync(join(harness.dataDir(), 'metadata', 'pop-state.json'));
    node = await start({ popMaxDeliveries: 1000 });
    await Promise.all(['a', 'b', 'c'].map((clientId) => consume(clientId, total)));
    expect(acks.size).toBe(total);
    expect([...acks.values()].every((count) => count === 1)).toBe(true);
    for (const counts of deliveryCounts.values()) expect(counts).toEqual(counts.map((_, i) => i + 1));
    expect(node.pop.progress('g', 't')).toEqual([
      { queueId: 0, ackedUpTo: total / 2, cursor: total / 2, inflight: 0, visibleAgain: 0 },
      { queueId: 1, ackedUpTo: total / 2, cursor: total / 2, inflight: 0, visibleAgain: 0 },
    ]);
  });

  it('forgets one group on a topic for good, frees its consumer budget, and leaves other groups alone', async () => {
    const { broker, pop } = await start({ popMaxInflightMessagesPerConsumer: 3 });
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 5);
    const gone = await broker.receive(request({ group: 'gone' }));
    expect(gone).toHaveLength(3);
    await broker.ack('kept', (await broker.receive(request({ group: 'kept', maxCount: 2 }))).map((m) => m.receipt));
    await broker.forgetPerMessageAckGroup('gone', 't');
    expect(pop.progress('gone', 't')).toEqual([]);
    expect(pop.progress('kept', 't')).toEqual([{ queueId: 0, ackedUpTo: 2, cursor: 2, inflight: 0, visibleAgain: 0 }]);
    await expect(broker.ack('gone', [gone[0]!.receipt])).resolves.toEqual(['STALE']);
    const again = await broker.receive(request({ group: 'gone', startFrom: 'LATEST' }));
    expect(again).toEqual([]);
    await produce(broker, 't', 1);
    expect(bodies(await broker.receive(request({ group: 'gone', maxWaitMs: 1000 })))).toEqual(['m0']);
    await expect(broker.forgetPerMessageAckGroup('never', 't')).resolves.toBeUndefined();
  });
});
