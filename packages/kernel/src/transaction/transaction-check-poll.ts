/**
 * A producer asking for the checks of its group. While it has a poll outstanding, or polled
 * lately, it counts as a live member of the group that checks may be sent to.
 */
export interface TransactionCheckPoll {
  producerGroup: string;
  clientId: string;
  /** Hold the poll this long when there is no check for this producer (0 = answer at once). */
  maxWaitMs: number;
  /** Aborted when the producer's connection closes: the poll returns and the producer stops being live. */
  signal?: AbortSignal;
}
