import type { StoredMessage } from '../message/stored-message';
import { ConsumerInflight } from './consumer-inflight';
import { DeadlineHeap } from './deadline-heap';
import { PopQueueState, type PendingMessage } from './pop-queue-state';

const stored = (offset: number, body = 'xx'): StoredMessage => ({
  msgId: `m${offset}`,
  topic: 't',
  queueId: 0,
  queueOffset: offset,
  commitLogOffset: offset,
  storeSize: 64,
  body: Buffer.from(body),
  keys: [],
  properties: {},
  bornTimestamp: 0,
  storeTimestamp: 0,
  flag: 0,
  reconsumeTimes: 0,
});

describe('PopQueueState', () => {
  let heap: DeadlineHeap<PendingMessage>;
  let inflight: ConsumerInflight;
  let queue: PopQueueState;
  let nextLeaseId: number;

  beforeEach(() => {
    heap = new DeadlineHeap();
    inflight = new ConsumerInflight();
    queue = new PopQueueState('g', 't', 0, 10, heap, inflight);
    nextLeaseId = 1;
  });

  /** Reads `offsets` at the cursor (up to `nextOffset`) and leases them to `clientId`, expiring at `expiresAt`. */
  const deliver = (offsets: number[], nextOffset: number, clientId = 'c1', expiresAt = 1000): PendingMessage[] => {
    const taken: PendingMessage[] = [];
    queue.takeRead(offsets.map((o) => stored(o)), nextOffset, taken);
    for (const entry of taken) queue.lease(entry, nextLeaseId++, inflight.of('g', clientId), expiresAt, 2);
    return taken;
  };

  const redeliver = (max: number, clientId = 'c1', expiresAt = 2000): PendingMessage[] => {
    const taken: PendingMessage[] = [];
    queue.takeReady(max, clientId, taken);
    for (const entry of taken) queue.lease(entry, nextLeaseId++, inflight.of('g', clientId), expiresAt, 2);
    return taken;
  };

  it('leases messages from the cursor, counts them for their consumer, and acks them out of order', () => {
    const [m10, m11, m12] = deliver([10, 11, 12], 13);
    expect(m10!.deliveryCount).toBe(1);
    expect(queue.cursor).toBe(13);
    expect(queue.ackedUpTo).toBe(10);
    expect(inflight.peek('g', 'c1')).toMatchObject({ messages: 3, bytes: 6 });

    queue.ack(m12!);
    queue.ack(m11!);
    expect(queue.ackedUpTo).toBe(10);
    queue.ack(m10!);
    expect(queue.ackedUpTo).toBe(13);
    expect(inflight.peek('g', 'c1')).toBeUndefined();
    expect(heap.size).toBe(0);
    expect(queue.counts()).toEqual({ inflight: 0, visibleAgain: 0 });
  });

  it('takes offsets a read skipped (its filter dropped them) as acked', () => {
    const [m12] = deliver([12, 15], 18);
    expect(queue.ackedUpTo).toBe(12);
    queue.ack(m12!);
    expect(queue.ackedUpTo).toBe(15);
    expect(queue.cursor).toBe(18);
    queue.takeRead([], 25, []);
    expect(queue.cursor).toBe(25);
  });

  it('redelivers a released message oldest first, raising its delivery count on the next delivery', () => {
    const [m10, m11] = deliver([10, 11], 12);
    queue.release(m11!, 500, 500);
    queue.release(m10!, 500, 500);
    expect(m11!.deliveryCount).toBe(1);
    expect(queue.readyCount).toBe(2);
    expect(inflight.peek('g', 'c1')).toBeUndefined();
    expect(queue.counts()).toEqual({ inflight: 0, visibleAgain: 2 });

    const again = redeliver(1, 'c2');
    expect(again).toEqual([m11]);
    expect(m11!.deliveryCount).toBe(2);
    expect(inflight.peek('g', 'c2')).toMatchObject({ messages: 1 });
    expect(queue.readyCount).toBe(1);
  });

  it('holds a message released for later in the deadline heap until it becomes due', () => {
    const [m10] = deliver([10], 11);
    queue.release(m10!, 900, 500);
    expect(queue.readyCount).toBe(0);
    expect(heap.peek()).toBe(m10);
    expect(heap.pop()!.dueAt).toBe(900);
    queue.becameDue(m10!);
    expect(queue.readyCount).toBe(1);
  });

  it('keeps lease expiries in the heap, earliest first, and forgets settled leases there', () => {
    const [m10] = deliver([10], 11, 'c1', 3000);
    const [m11] = deliver([11], 12, 'c1', 1000);
    const [m12] = deliver([12], 13, 'c1', 2000);
    queue.ack(m11!);
    expect(heap.pop()).toBe(m12);
    queue.release(m12!, 2000, 2000);
    expect(heap.pop()).toBe(m10);
    expect(heap.size).toBe(0);
  });

  it('finds a message only by its current lease: a renewed, released or acked lease is stale', () => {
    const [m10, m11] = deliver([10, 11], 12);
    const firstLease = m10!.leaseId;
    expect(queue.leased(10, firstLease)).toBe(m10);
    expect(queue.leased(10, firstLease + 100)).toBeUndefined();

    queue.renew(m10!, 77, 5000);
    expect(queue.leased(10, firstLease)).toBeUndefined();
    expect(queue.leased(10, 77)).toBe(m10);
    expect(heap.peek()).toBe(m11);
    expect(m10!.dueAt).toBe(5000);

    queue.release(m10!, 0, 0);
    expect(queue.leased(10, 77)).toBeUndefined();
    queue.ack(m11!);
    expect(queue.leased(11, m11!.leaseId)).toBeUndefined();
    expect(queue.holds(m11!)).toBe(false);
  });

  it('bounds the window between the lowest unacked offset and the cursor', () => {
    const [m10] = deliver([10, 11, 12, 13], 14);
    expect(queue.windowRoom(5)).toBe(1);
    expect(queue.windowRoom(4)).toBe(0);
    expect(queue.windowRoom(2)).toBe(0);
    queue.ack(m10!);
    expect(queue.windowRoom(4)).toBe(1);
  });

  it('gives a reserved message back undelivered and hands one over past the delivery limit', () => {
    const taken: PendingMessage[] = [];
    queue.takeRead([stored(10), stored(11)], 12, taken);
    queue.giveBack(taken[1]!);
    expect(taken[1]!.deliveryCount).toBe(0);
    expect(queue.readyCount).toBe(1);
    queue.lease(taken[0]!, 1, inflight.of('g', 'c1'), 1000, 2);
    queue.handOver(taken[0]!);
    expect(inflight.size).toBe(0);
    expect(heap.size).toBe(0);
    expect(queue.counts()).toEqual({ inflight: 1, visibleAgain: 1 });
    expect(queue.ackedUpTo).toBe(10);
  });

  it('drops what retention deleted from the log', () => {
    const [, m11] = deliver([10, 11, 12], 13);
    queue.release(m11!, 0, 0);
    queue.skipBelow(12);
    expect(queue.ackedUpTo).toBe(12);
    expect(queue.readyCount).toBe(0);
    expect(inflight.peek('g', 'c1')).toMatchObject({ messages: 1 });
    queue.skipBelow(20);
    expect(queue).toMatchObject({ ackedUpTo: 20, cursor: 20 });
    expect(inflight.size).toBe(0);
  });

  it('replays journal ops as the state of an offset, so replaying what it holds changes nothing', () => {
    queue.replayLease(12, 5, 'c1', 1000, 1, 2);
    expect(queue).toMatchObject({ ackedUpTo: 12, cursor: 13 });
    queue.replayLease(12, 5, 'c1', 1000, 1, 2);
    queue.replayLease(13, 6, 'c1', 1000, 1, 2);
    expect(inflight.peek('g', 'c1')).toMatchObject({ messages: 2, bytes: 4 });
    queue.replayVisible(12, 0, 1, 100);
    queue.replayVisible(12, 0, 1, 100);
    expect(queue.readyCount).toBe(1);
    queue.replayAck(13);
    queue.replayAck(13);
    queue.replayAck(40);
    expect(queue.cursor).toBe(14);
    queue.replayLease(12, 7, 'c1', 1000, 2, 2);
    queue.replayAck(12);
    expect(queue).toMatchObject({ ackedUpTo: 14, cursor: 14 });
    queue.replayLease(12, 8, 'c1', 1000, 3, 2);
    expect(queue.counts()).toEqual({ inflight: 0, visibleAgain: 0 });
    expect(inflight.size).toBe(0);
  });

  it('snapshots leases and redeliveries, saving reserved and handed-over messages as visible', () => {
    const [m10, m11, m12] = deliver([10, 11, 12], 13, 'c1', 1000);
    queue.release(m11!, 800, 500);
    queue.handOver(m12!);
    const reserved: PendingMessage[] = [];
    queue.takeRead([stored(13)], 14, reserved);
    expect(queue.snapshot()).toEqual({
      group: 'g',
      topic: 't',
      queueId: 0,
      ackedUpTo: 10,
      cursor: 14,
      leased: [[10, m10!.leaseId, 1000, 1, 'c1', 2]],
      visible: [
        [11, 800, 1],
        [12, 0, 1],
        [13, 0, 0],
      ],
    });
  });
});
