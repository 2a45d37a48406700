import type { PersistedPacket } from './persisted-packet';

/**
 * One journal message: the mutations of one event-loop turn. Outgoing entries point at the batch
 * their packet was written in; while the batch is cached it also holds those packets by position.
 */
export class JournalBatch {
  /** The journal offset, once appended; -1 before. */
  offset = -1;
  failed = false;
  /** Outgoing packets by byte position, while the packet cache keeps this batch. */
  packets: Map<number, PersistedPacket> | undefined;
  cachedBytes = 0;
  /** Resolves once the batch is durable; rejects if its append failed. */
  readonly settled: Promise<void>;
  private resolveSettled!: () => void;
  private rejectSettled!: (error: unknown) => void;

  constructor(readonly seq: number) {
    this.settled = new Promise<void>((resolve, reject) => {
      this.resolveSettled = resolve;
      this.rejectSettled = reject;
    });
    // Callers await `settled`; this keeps a batch nobody waits on from raising an unhandled rejection.
    this.settled.catch(() => undefined);
  }

  /** A batch already in the journal at `offset` (found at recovery). */
  static appendedAt(offset: number): JournalBatch {
    const batch = new JournalBatch(0);
    batch.markAppended(offset);
    return batch;
  }

  markAppended(offset: number): void {
    this.offset = offset;
    this.resolveSettled();
  }

  markFailed(error: unknown): void {
    this.failed = true;
    this.packets = undefined;
    this.rejectSettled(error);
  }
}
