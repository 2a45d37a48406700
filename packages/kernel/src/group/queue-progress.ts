/** One queue's consumption progress for a group: what `tessera group progress` shows. */
export interface QueueProgress {
  topic: string;
  queueId: number;
  /** Undefined when the group never committed on this queue. */
  committedOffset?: number;
  minOffset: number;
  maxOffset: number;
  /** maxOffset − committed offset (from minOffset when never committed). */
  lag: number;
  /** Client id of the member consuming the queue now, if any. */
  owner?: string;
  /** Per-message-ack groups: messages leased now (committedOffset is then the acked-up-to point). */
  inflight?: number;
}
