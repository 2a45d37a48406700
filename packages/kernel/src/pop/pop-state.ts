import { ConsumerInflight } from './consumer-inflight';
import { DeadlineHeap } from './deadline-heap';
import type { PopCheckpoint } from './pop-checkpoint';
import type { PopJournalReader } from './pop-journal-reader';
import { PopQueueState, type PendingMessage } from './pop-queue-state';

/**
 * Every group's per-message-ack state: the queue states, created on first use, with the deadline
 * heap and consumer budgets they share and the lease id counter. Rebuilt at start from a
 * checkpoint plus the journal written after it; no I/O of its own.
 */
export class PopState {
  readonly deadlines = new DeadlineHeap<PendingMessage>();
  readonly inflight = new ConsumerInflight();
  private readonly byGroupTopic = new Map<string, Map<number, PopQueueState>>();
  private nextLeaseId = 1;

  newLeaseId(): number {
    return this.nextLeaseId++;
  }

  /** The group's states on the topic's queues, by queue id; undefined if it never received from the topic. */
  queuesOf(group: string, topic: string): ReadonlyMap<number, PopQueueState> | undefined {
    return this.byGroupTopic.get(groupTopicKey(group, topic));
  }

  /** Topics the group received from, sorted. */
  topicsOf(group: string): string[] {
    const prefix = groupTopicKey(group, '');
    return [...this.byGroupTopic.keys()].filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length)).sort();
  }

  /** Every (group, queue id) with state on the topic. */
  queuesOnTopic(topic: string): Array<{ group: string; queueId: number }> {
    const found: Array<{ group: string; queueId: number }> = [];
    for (const queues of this.byGroupTopic.values()) {
      for (const queue of queues.values()) if (queue.topic === topic) found.push({ group: queue.group, queueId: queue.queueId });
    }
    return found;
  }

  /** Groups with per-message-ack state, sorted. */
  groups(): string[] {
    return [...new Set([...this.byGroupTopic.keys()].map((key) => key.slice(0, key.indexOf('\u0000'))))].sort();
  }

  /** The group's state on a queue, starting at offset `start(queueId)` when the group has none there yet. */
  queue(group: string, topic: string, queueId: number, start: (queueId: number) => number): PopQueueState {
    const key = groupTopicKey(group, topic);
    let queues = this.byGroupTopic.get(key);
    if (!queues) this.byGroupTopic.set(key, (queues = new Map()));
    let queue = queues.get(queueId);
    if (!queue) queues.set(queueId, (queue = new PopQueueState(group, topic, queueId, start(queueId), this.deadlines, this.inflight)));
    return queue;
  }

  /**
   * Applies the ops of one journal message. A queue the state does not know starts at the offset
   * of its first op: that is a lease of the lowest offset its first delivery took (deliveries from
   * a queue's cursor are journalled in offset order), and the offsets before it were acked.
   */
  replay(reader: PopJournalReader, now: number): void {
    while (reader.next()) {
      if (reader.op === 'FORGET') {
        this.forget(reader.group, reader.topic, reader.queueId);
        continue;
      }
      const offset = reader.offset;
      const queue = this.queue(reader.group, reader.topic, reader.queueId, () => offset);
      switch (reader.op) {
        case 'LEASE':
          if (reader.leaseId >= this.nextLeaseId) this.nextLeaseId = reader.leaseId + 1;
          queue.replayLease(offset, reader.leaseId, reader.clientId, reader.dueAt, reader.deliveryCount, reader.bodyBytes);
          break;
        case 'VISIBLE':
          queue.replayVisible(offset, reader.dueAt, reader.deliveryCount, now);
          break;
        case 'ACK':
          queue.replayAck(offset);
          break;
        // START: the queue was created at its offset above, unless the state held it already.
      }
    }
  }

  /** Drops the group's state on one queue; the group starts afresh there if it receives again. */
  forget(group: string, topic: string, queueId: number): void {
    const key = groupTopicKey(group, topic);
    const queues = this.byGroupTopic.get(key);
    const queue = queues?.get(queueId);
    if (!queues || !queue) return;
    queue.dropAll();
    queues.delete(queueId);
    if (queues.size === 0) this.byGroupTopic.delete(key);
  }

  snapshot(journalOffset: number): PopCheckpoint {
    const queues: PopCheckpoint['queues'] = [];
    for (const byQueue of this.byGroupTopic.values()) for (const queue of byQueue.values()) queues.push(queue.snapshot());
    return { version: 1, journalOffset, nextLeaseId: this.nextLeaseId, queues };
  }

  /**
   * Loads a checkpoint. A queue whose log now ends before what the checkpoint saw (a power loss
   * took back records served before their fsync) is cut back to that end, so its next records are
   * delivered rather than skipped; returns how many queues were cut back.
   */
  restore(checkpoint: PopCheckpoint, now: number, queueEnd: (topic: string, queueId: number) => number): number {
    this.nextLeaseId = Math.max(this.nextLeaseId, checkpoint.nextLeaseId);
    let cutBack = 0;
    for (const saved of checkpoint.queues) {
      const end = queueEnd(saved.topic, saved.queueId);
      if (saved.cursor > end) cutBack++;
      const queue = this.queue(saved.group, saved.topic, saved.queueId, () => Math.min(saved.ackedUpTo, end));
      queue.cursor = Math.min(saved.cursor, end);
      for (const [offset, leaseId, expiresAt, deliveryCount, clientId, bodyBytes] of saved.leased) {
        if (offset < end) queue.replayLease(offset, leaseId, clientId, expiresAt, deliveryCount, bodyBytes);
      }
      for (const [offset, visibleAt, deliveryCount] of saved.visible) if (offset < end) queue.replayVisible(offset, visibleAt, deliveryCount, now);
    }
    return cutBack;
  }
}

function groupTopicKey(group: string, topic: string): string {
  return `${group}\u0000${topic}`;
}
