import { join } from 'node:path';
import type { Logger } from '../logging/logger';
import { AtomicJsonFile } from '../storage/atomic-json-file';
import type { PopCheckpoint } from './pop-checkpoint';
import type { PopJournal } from './pop-journal';
import type { PopState } from './pop-state';

/**
 * Keeps dataDir/metadata/pop-state.json: the whole POP state with the journal offset it covers,
 * written (off the event loop) every interval if anything changed, on demand, and at stop.
 */
export class PopCheckpointer {
  private readonly file: AtomicJsonFile<PopCheckpoint>;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private writtenJournalOffset = -1;
  private unjournalledChange = false;
  private running = false;

  constructor(
    dataDir: string,
    private readonly state: PopState,
    private readonly journal: PopJournal,
    private readonly logger: Logger,
  ) {
    this.file = new AtomicJsonFile(join(dataDir, 'metadata', 'pop-state.json'));
  }

  /** The last checkpoint written, if any. */
  load(): PopCheckpoint | undefined {
    const checkpoint = this.file.read();
    if (checkpoint && checkpoint.version !== 1) throw new Error(`pop-state.json has unknown version ${String(checkpoint.version)}`);
    this.writtenJournalOffset = checkpoint?.journalOffset ?? -1;
    return checkpoint;
  }

  start(intervalMs: number): void {
    this.running = true;
    this.timer = setInterval(() => this.writeInBackground(), intervalMs);
    this.timer.unref();
  }

  /** The state changed in a way no journal message records (a new queue state, offsets a filter skipped, a failed append). */
  noteUnjournalledChange(): void {
    this.unjournalledChange = true;
  }

  /** Writes a checkpoint now unless one is being written; a failure is logged and retried at the next interval. */
  writeInBackground(): void {
    if (!this.running) return;
    this.write(false).catch((error: unknown) =>
      this.logger.error({ err: error }, 'writing the per-message-ack checkpoint failed; will retry'),
    );
  }

  /** Stops the interval and writes a last checkpoint. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.writing?.catch(() => undefined);
    await this.write(true);
  }

  private async write(final: boolean): Promise<void> {
    if (this.writing && !final) return;
    const journalOffset = this.journal.endOffset;
    if (journalOffset === this.writtenJournalOffset && !this.unjournalledChange) return;
    this.unjournalledChange = false;
    const writing = this.file.write(this.state.snapshot(journalOffset));
    this.writing = writing;
    try {
      await writing;
      this.writtenJournalOffset = journalOffset;
    } catch (error) {
      this.unjournalledChange = true;
      throw error;
    } finally {
      if (this.writing === writing) this.writing = undefined;
    }
  }
}
