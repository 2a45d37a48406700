/** One group's per-message-ack progress on one queue. */
export interface PopQueueProgress {
  queueId: number;
  /** Every offset below is acked. */
  ackedUpTo: number;
  /** The next offset never delivered. */
  cursor: number;
  /** Messages leased now (or being handed out or to the consume-failure hooks). */
  inflight: number;
  /** Messages nacked or expired, waiting for redelivery. */
  visibleAgain: number;
}
