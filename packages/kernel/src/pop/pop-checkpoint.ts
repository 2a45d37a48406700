/** One group's state on one queue as the checkpoint file holds it. */
export interface PopQueueSnapshot {
  group: string;
  topic: string;
  queueId: number;
  ackedUpTo: number;
  cursor: number;
  /** [offset, leaseId, expiresAt, deliveryCount, clientId, bodyBytes] */
  leased: Array<[number, number, number, number, string, number]>;
  /** [offset, visibleAt (0: now), deliveryCount] */
  visible: Array<[number, number, number]>;
}

/**
 * The whole per-message-ack state at one point of the journal (dataDir/metadata/pop-state.json).
 * Recovery loads it, then replays the journal from `journalOffset`.
 */
export interface PopCheckpoint {
  version: 1;
  /** Queue offset of the first journal message this checkpoint may not hold. */
  journalOffset: number;
  /** Above every lease id handed out before, so a receipt from before a restart never names a new lease. */
  nextLeaseId: number;
  queues: PopQueueSnapshot[];
}
