/** What the broker keeps in memory about one undecided half message (its body stays in the log). */
export interface OpenHalf {
  readonly msgId: string;
  /** Offset in the half topic's queue. */
  readonly queueOffset: number;
  readonly transactionId: string;
  readonly producerGroup: string;
  readonly storeTimestamp: number;
  /** Checks made so far. */
  checks: number;
  nextCheckAt: number;
  /** Set while a decision is being stored; another decision meanwhile waits for this one. */
  resolving?: Promise<void>;
  /** The decision log's end when a decision began: a checkpoint taken before the decision is stored replays from here. */
  decisionLogFloor?: number;
  /** A commit stored the real message but not yet its decision record: a retry must not store it twice. */
  realMessageStored?: boolean;
}
