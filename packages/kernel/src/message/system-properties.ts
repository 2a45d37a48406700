/**
 * Message properties the kernel and feature plugins agree on, so a plugin never needs another
 * plugin's internals: a producer (any protocol) or a plugin sets them, the plugin that owns the
 * feature acts on them. Names start with `__` and are reserved.
 */
export const SystemProperties = {
  /** Deliver after delay level N (1-based, see feature-delay's levels). */
  DELAY_LEVEL: '__DELAY_LEVEL',
  /** Deliver at this time (ms since epoch, decimal). */
  DELIVER_AT: '__DELIVER_AT',
  /** Deliver after this many ms from the store time (decimal). */
  DELAY_MS: '__DELAY_MS',
  /** Where a message parked in a system topic (delay, retry, DLQ, half) really belongs. */
  REAL_TOPIC: '__REAL_TOPIC',
  REAL_QUEUE_ID: '__REAL_QUEUE_ID',
  /** The id of the message a retry or dead-letter copy was made from. */
  ORIGIN_MSG_ID: '__ORIGIN_MSG_ID',
  /** A dead letter's failed deliveries (decimal) and the reason the last one failed. */
  FAILURE_COUNT: '__FAILURE_COUNT',
  FAILURE_REASON: '__FAILURE_REASON',
  /** The transaction a half message belongs to, and its producer group. */
  TRANSACTION_ID: '__TRANSACTION_ID',
  PRODUCER_GROUP: '__PRODUCER_GROUP',
  /** Set by a transactional producer: this is a half message, hidden until its transaction commits. */
  TRANSACTION_PREPARED: '__TRAN_PREPARED',
  /** On a committed transactional message: the id of the half message it was made from. */
  TRANSACTION_HALF_MSG_ID: '__TRAN_HALF_MSG_ID',
} as const;
