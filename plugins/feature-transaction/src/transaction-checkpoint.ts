/** [queueOffset, msgId, transactionId, producerGroup, storeTimestamp, checks] of one open half message. */
export type OpenHalfEntry = [number, string, string, string, number, number];

/**
 * The open transactions at one point (dataDir/metadata/transaction-state.json). Recovery loads
 * them, tracks the half messages stored from `halfOffset` on and applies the decisions recorded
 * from `decisionOffset` on: both spans are only what was written since the checkpoint.
 */
export interface TransactionCheckpoint {
  version: 1;
  /** Half-topic offset of the first half message the checkpoint does not cover. */
  halfOffset: number;
  /** Decision-log offset from which decisions on the listed halves may be recorded. */
  decisionOffset: number;
  open: OpenHalfEntry[];
}
