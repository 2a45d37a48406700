import type { StoredMessage } from '../message/stored-message';
import type { ConsumerInflight, InflightCount } from './consumer-inflight';
import type { Deadline, DeadlineHeap } from './deadline-heap';
import type { PopQueueSnapshot } from './pop-checkpoint';

/**
 * RESERVED: taken by a receive that is still reading it from the log. LEASED: delivered, invisible
 * until acked, nacked or expired. READY: visible again, waiting for redelivery. DELAYED: visible
 * again at `dueAt`. HANDING_OVER: past the delivery limit, offered to the consume-failure hooks.
 */
export type PendingState = 'RESERVED' | 'LEASED' | 'READY' | 'DELAYED' | 'HANDING_OVER';

/** An offset inside a queue's window that is not acked yet. */
export interface PendingMessage extends Deadline {
  readonly queue: PopQueueState;
  readonly offset: number;
  state: PendingState;
  /** Deliveries so far; the next delivery is number deliveryCount + 1. */
  deliveryCount: number;
  /** LEASED: the current lease; a receipt naming another lease is stale. */
  leaseId: number;
  /** LEASED: whose in-flight budget the lease counts against. */
  consumer: InflightCount | undefined;
  bodyBytes: number;
  /** A warning that no hook took the message past the delivery limit was logged already. */
  warned: boolean;
  /** Consumers (client ids) it must not go to again: they settled it undeliverable-here (AMQP). Not journalled. */
  refusedBy: string[] | undefined;
}

/**
 * One group's per-message-ack state on one queue, with no I/O: offsets below `ackedUpTo` are
 * acked; offsets from `cursor` on were never delivered; between them, an offset is acked unless
 * it is pending (reserved, leased, or waiting for redelivery). Memory is bounded by the window
 * `cursor − ackedUpTo`, not by the backlog. Lease expiries and delayed redeliveries go into the
 * shared deadline heap; the owner pops them when due and ends the lease (`release`, `handOver`)
 * or calls `becameDue`.
 */
export class PopQueueState {
  ackedUpTo: number;
  cursor: number;
  private readonly pending = new Map<number, PendingMessage>();
  /** READY messages in the order they became visible again. */
  private readonly ready = new Set<PendingMessage>();
  private lastCursorRead: Promise<void> = Promise.resolve();

  constructor(
    readonly group: string,
    readonly topic: string,
    readonly queueId: number,
    start: number,
    private readonly heap: DeadlineHeap<PendingMessage>,
    private readonly inflight: ConsumerInflight,
  ) {
    this.ackedUpTo = start;
    this.cursor = start;
  }

  get readyCount(): number {
    return this.ready.size;
  }

  /** Whether a message visible again may go to the consumer (one it refused may not). */
  hasReadyFor(clientId: string): boolean {
    for (const entry of this.ready) if (!entry.refusedBy?.includes(clientId)) return true;
    return false;
  }

  /** How many offsets the cursor may still move before the window reaches `maxWindow`. */
  windowRoom(maxWindow: number): number {
    return Math.max(0, maxWindow - (this.cursor - this.ackedUpTo));
  }

  /** Waits for the reads at the cursor begun before; call the returned function when done with the cursor. */
  async lockCursor(): Promise<() => void> {
    const previous = this.lastCursorRead;
    let unlock!: () => void;
    this.lastCursorRead = new Promise((resolve) => (unlock = resolve));
    await previous;
    return unlock;
  }

  /** Reserves up to `max` messages visible again for the consumer, oldest first. */
  takeReady(max: number, clientId: string, into: PendingMessage[]): void {
    for (const entry of this.ready) {
      if (max <= 0) break;
      if (entry.refusedBy?.includes(clientId)) continue;
      max--;
      this.ready.delete(entry);
      entry.state = 'RESERVED';
      into.push(entry);
    }
  }

  /**
   * Reserves the messages a read from the cursor returned and moves the cursor to `nextOffset`;
   * the offsets the read's filter skipped are acked by that.
   */
  takeRead(messages: readonly StoredMessage[], nextOffset: number, into: PendingMessage[]): void {
    for (const message of messages) into.push(this.newEntry(message.queueOffset, 'RESERVED', 0));
    if (nextOffset > this.cursor) this.cursor = nextOffset;
    this.advanceAckedUpTo();
  }

  /** A reserved message that was not handed out after all waits in the ready line again, its count unchanged. */
  giveBack(entry: PendingMessage): void {
    this.makeReady(entry);
  }

  /** Delivers a reserved message: its delivery count rises by one. */
  lease(entry: PendingMessage, leaseId: number, consumer: InflightCount, expiresAt: number, bodyBytes: number): void {
    entry.deliveryCount++;
    entry.bodyBytes = bodyBytes;
    this.setLeased(entry, leaseId, consumer, expiresAt);
  }

  /** Whether the message is still pending here (not acked since it was looked up). */
  holds(entry: PendingMessage): boolean {
    return this.pending.get(entry.offset) === entry;
  }

  /** Whether the group acked the message at `offset` (false for one never delivered). */
  isAcked(offset: number): boolean {
    return offset < this.ackedUpTo || (offset < this.cursor && !this.pending.has(offset));
  }

  /** Deliveries of the message at `offset` so far, if it is pending. */
  deliveryCountAt(offset: number): number {
    return this.pending.get(offset)?.deliveryCount ?? 0;
  }

  /** The message if `leaseId` is its current lease. */
  leased(offset: number, leaseId: number): PendingMessage | undefined {
    const entry = this.pending.get(offset);
    return entry?.state === 'LEASED' && entry.leaseId === leaseId ? entry : undefined;
  }

  /** The messages leased now. */
  leasedEntries(): PendingMessage[] {
    return [...this.pending.values()].filter((entry) => entry.state === 'LEASED');
  }

  /** Acks a pending message: a settled lease, a message a hook took, or one the log no longer holds. */
  ack(entry: PendingMessage): void {
    this.detach(entry);
    this.pending.delete(entry.offset);
    if (entry.offset === this.ackedUpTo) this.advanceAckedUpTo();
  }

  /** Ends a lease, or a hand-over no hook took: visible again at `visibleAt`. */
  release(entry: PendingMessage, visibleAt: number, now: number): void {
    if (visibleAt <= now) {
      this.makeReady(entry);
      return;
    }
    this.detach(entry);
    entry.state = 'DELAYED';
    this.heap.reschedule(entry, visibleAt);
  }

  renew(entry: PendingMessage, leaseId: number, expiresAt: number): void {
    entry.leaseId = leaseId;
    this.heap.reschedule(entry, expiresAt);
  }

  /** Ends a lease past the delivery limit while the consume-failure hooks decide. */
  handOver(entry: PendingMessage): void {
    this.detach(entry);
    entry.state = 'HANDING_OVER';
  }

  /** A DELAYED message's time came (the owner popped it from the heap). */
  becameDue(entry: PendingMessage): void {
    this.makeReady(entry);
  }

  /** The log no longer holds offsets below `minOffset` (retention): they leave the window. */
  skipBelow(minOffset: number): void {
    if (minOffset <= this.ackedUpTo) return;
    for (const entry of [...this.pending.values()]) if (entry.offset < minOffset) this.ack(entry);
    if (this.cursor < minOffset) this.cursor = minOffset;
    this.ackedUpTo = minOffset;
    this.advanceAckedUpTo();
  }

  /** Journal replay: the offset is leased. Replaying what the state already holds changes nothing. */
  replayLease(offset: number, leaseId: number, clientId: string, expiresAt: number, deliveryCount: number, bodyBytes: number): void {
    const entry = this.replayed(offset);
    if (!entry) return;
    this.detach(entry);
    entry.deliveryCount = deliveryCount;
    entry.bodyBytes = bodyBytes;
    this.setLeased(entry, leaseId, this.inflight.of(this.group, clientId), expiresAt);
  }

  /** Journal replay: the offset is visible again from `visibleAt`. */
  replayVisible(offset: number, visibleAt: number, deliveryCount: number, now: number): void {
    const entry = this.replayed(offset);
    if (!entry) return;
    entry.deliveryCount = deliveryCount;
    this.release(entry, visibleAt, now);
  }

  /** Journal replay: the offset is acked. An ack beyond the cursor has no lease before it and is ignored. */
  replayAck(offset: number): void {
    if (offset < this.ackedUpTo || offset >= this.cursor) return;
    const entry = this.pending.get(offset);
    if (entry) this.ack(entry);
  }

  /** Reserved and handed-over messages are saved as visible again: a restart finishes neither. */
  snapshot(): PopQueueSnapshot {
    const leased: PopQueueSnapshot['leased'] = [];
    const visible: PopQueueSnapshot['visible'] = [];
    for (const entry of this.pending.values()) {
      if (entry.state === 'LEASED') {
        leased.push([entry.offset, entry.leaseId, entry.dueAt, entry.deliveryCount, entry.consumer!.clientId, entry.bodyBytes]);
      } else {
        visible.push([entry.offset, entry.state === 'DELAYED' ? entry.dueAt : 0, entry.deliveryCount]);
      }
    }
    return { group: this.group, topic: this.topic, queueId: this.queueId, ackedUpTo: this.ackedUpTo, cursor: this.cursor, leased, visible };
  }

  /** Leased (or being handed out or over) and waiting-for-redelivery message counts. */
  counts(): { inflight: number; visibleAgain: number } {
    let visibleAgain = 0;
    for (const entry of this.pending.values()) if (entry.state === 'READY' || entry.state === 'DELAYED') visibleAgain++;
    return { inflight: this.pending.size - visibleAgain, visibleAgain };
  }

  /** The entry a replayed op sets, created if need be; undefined below ackedUpTo, where everything is acked. */
  private replayed(offset: number): PendingMessage | undefined {
    if (offset < this.ackedUpTo) return undefined;
    const entry = this.pending.get(offset) ?? this.newEntry(offset, 'READY', 0);
    if (offset >= this.cursor) {
      this.cursor = offset + 1;
      this.advanceAckedUpTo();
    }
    return entry;
  }

  private newEntry(offset: number, state: PendingState, deliveryCount: number): PendingMessage {
    const entry: PendingMessage = {
      queue: this,
      offset,
      state,
      deliveryCount,
      leaseId: 0,
      consumer: undefined,
      bodyBytes: 0,
      warned: false,
      refusedBy: undefined,
      dueAt: 0,
      heapIndex: -1,
    };
    this.pending.set(offset, entry);
    return entry;
  }

  private setLeased(entry: PendingMessage, leaseId: number, consumer: InflightCount, expiresAt: number): void {
    entry.state = 'LEASED';
    entry.leaseId = leaseId;
    entry.consumer = consumer;
    this.inflight.add(consumer, entry.bodyBytes);
    this.heap.reschedule(entry, expiresAt);
  }

  private makeReady(entry: PendingMessage): void {
    this.detach(entry);
    entry.state = 'READY';
    this.ready.add(entry);
  }

  /** Lets go of every pending message (the queue's topic was deleted): nothing stays in the heap or budgets. */
  dropAll(): void {
    for (const entry of this.pending.values()) this.detach(entry);
    this.pending.clear();
  }

  /** Takes the message out of whatever its state keeps it in (heap, ready line, consumer budget). */
  private detach(entry: PendingMessage): void {
    switch (entry.state) {
      case 'LEASED':
        this.heap.remove(entry);
        this.inflight.remove(entry.consumer!, entry.bodyBytes);
        entry.consumer = undefined;
        break;
      case 'DELAYED':
        this.heap.remove(entry);
        break;
      case 'READY':
        this.ready.delete(entry);
        break;
    }
  }

  private advanceAckedUpTo(): void {
    if (this.pending.size === 0) {
      this.ackedUpTo = this.cursor;
      return;
    }
    while (this.ackedUpTo < this.cursor && !this.pending.has(this.ackedUpTo)) this.ackedUpTo++;
  }
}
