import type { Broker, StoredMessage } from '@tessera/kernel';
import { readSystemQueue } from './read-system-queue';
import { HALF_TOPIC, TRANSACTION_QUEUE_ID } from './transaction-topics';

/**
 * Follows the half topic: every half message stored is read back once, in order, and handed to
 * `track`. The broker learns a half's id and offset this way, after the append that stored it.
 * Catch-ups run one at a time.
 */
export class HalfTail {
  private running: Promise<void> = Promise.resolve();
  /** A catch-up queued behind the running one: later callers share it, as it reads to the end it finds when it starts. */
  private queued: Promise<void> | undefined;

  constructor(
    private readonly broker: Broker,
    private nextOffset: number,
    private readonly track: (half: StoredMessage) => void,
  ) {}

  /** Offset of the first half message not tracked yet. */
  get offset(): number {
    return this.nextOffset;
  }

  /** Half messages stored but not tracked yet. */
  get untracked(): number {
    return Math.max(0, this.broker.queueRange(HALF_TOPIC, TRANSACTION_QUEUE_ID).maxOffset - this.nextOffset);
  }

  /** Resolves once every half message stored before the call is tracked. */
  catchUp(): Promise<void> {
    if (this.queued) return this.queued;
    const run = this.running.then(async () => {
      this.queued = undefined;
      this.nextOffset = await readSystemQueue(this.broker, HALF_TOPIC, this.nextOffset, (half) => {
        this.track(half);
        // Kept current per message: a checkpoint may be taken between two read batches.
        this.nextOffset = half.queueOffset + 1;
      });
    });
    this.queued = run;
    this.running = run.catch(() => undefined);
    return run;
  }
}
