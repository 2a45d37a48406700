import type { Subscription } from '../hooks/subscription';

/**
 * A browser looks at a per-message-ack group's queues without leasing anything: what it sees
 * stays as it was for the group's consumers (AMQP's distribution-mode `copy`).
 */
export interface BrowseRequest {
  group: string;
  topic: string;
  /** The next offset the browser has not looked at, by queue id: browse moves it past what it returns. */
  positions: Map<number, number>;
  maxCount: number;
  /** Body bytes in this answer; at least one message is returned when one is there. */
  maxBytes?: number;
  /** Hold the request up to this long when the browser has seen everything (long polling). */
  maxWaitMs?: number;
  /** Broker-side filtering (tag or SQL92): what it drops is not shown. */
  subscription?: Subscription;
  /** Ends a held browse at once. */
  signal?: AbortSignal;
}
