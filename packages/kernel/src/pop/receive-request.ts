import type { Subscription } from '../hooks/subscription';

/** The longest lease a receive or a lease change may ask for. */
export const MAX_INVISIBLE_MS = 12 * 60 * 60 * 1000;

/** A per-message-ack (POP) consumer asks for messages, each leased to it for `invisibleMs`. */
export interface ReceiveRequest {
  group: string;
  topic: string;
  /** The consumer: per-consumer in-flight limits count per group and client id. */
  clientId: string;
  /** Receive from one queue only; from every read queue of the topic, fairly, when absent. */
  queueId?: number;
  maxCount: number;
  /** Body bytes in this answer; at least one message is returned when one is available. */
  maxBytes?: number;
  /** How long the messages stay invisible to others unless acked, nacked or extended: 1 to MAX_INVISIBLE_MS. */
  invisibleMs: number;
  /** Hold the request up to this long when nothing is visible (long polling). */
  maxWaitMs?: number;
  /**
   * Where a group starts on a queue it never received from: the oldest retained message
   * (EARLIEST, the default) or the next one produced (LATEST). Ignored once the group has state
   * there. A LATEST start is journalled before the receive goes on, so a crash cannot move it.
   */
  startFrom?: 'EARLIEST' | 'LATEST';
  /** Broker-side filtering (tag or SQL92); messages it drops count as acked for the group. */
  subscription?: Subscription;
  /**
   * The leases end with the consumer's connection (an AMQP link): a restart releases them anyway,
   * so the receive answers once the leases are journalled in order, without waiting for the journal
   * entry to be durable (one fdatasync less per delivery under SYNC). Acks stay durable when answered.
   */
  leasesEndWithConnection?: boolean;
  /** Ends a held receive at once. Messages leased before the abort are still returned, and stay leased. */
  signal?: AbortSignal;
}
