/**
 * A message to send. A string body is sent as UTF-8. At most one of `delayLevel`, `deliverAt`
 * and `delayMs` schedules it: the broker (with its feature-delay plugin) keeps it until then.
 */
export interface Message {
  topic: string;
  body: Buffer | string;
  tag?: string;
  keys?: string[];
  properties?: Record<string, string>;
  /** Send to this queue; otherwise the producer's queue selector picks one. */
  queueId?: number;
  /** Deliver after the broker's delay level N (1-based; by default 1s 5s 10s 30s 1m 2m 3m … 10m 20m 30m 1h 2h). */
  delayLevel?: number;
  /** Deliver at this time (a Date, or ms since the epoch); a time in the past delivers at once. */
  deliverAt?: Date | number;
  /** Deliver this many ms after the broker stores the message. */
  delayMs?: number;
}
