/**
 * A member's view of its queues, exchanged with the kernel to hand queues over without two
 * members consuming one queue at the same time: the kernel grants a queue only once its previous
 * owner has released it (stopped, committed, and synced without it) or left the group.
 */
export interface AssignmentSyncRequest {
  group: string;
  topic: string;
  clientId: string;
  /** Queues the member is consuming right now. A held queue missing from `owned` must be released. */
  held: readonly number[];
  /** The generation the member last saw; while nothing changed the sync is held up to `maxWaitMs`. */
  knownGeneration?: number;
  maxWaitMs?: number;
  signal?: AbortSignal;
}

export interface AssignmentSyncResult {
  /** Changes whenever membership, allocation or ownership of the group's topic changes. */
  generation: number;
  /** Queues this member owns now: consume exactly these, from the committed offset. */
  owned: number[];
  /**
   * Queues this member holds but must release (never also in `owned`): stop them, commit, sync
   * again without them. A commit on a queue revoked by an offset reset is refused.
   */
  revoked: number[];
  /** Members stop consuming a queue they could not renew for this long (the session timeout). */
  sessionTimeoutMs: number;
}
