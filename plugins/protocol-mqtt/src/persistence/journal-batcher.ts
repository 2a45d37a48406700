import type { SystemTopicJournal } from '@tessera/kernel';
import { JournalBatch } from './journal-batch';
import { MqttJournalWriter } from './mqtt-journal-writer';

/**
 * Gathers the mutations of one event-loop turn into one journal message, so concurrent calls
 * (every QoS 1 publish to N persistent sessions makes N of them) share one append and one fsync.
 */
export class JournalBatcher {
  private writer: MqttJournalWriter | undefined;
  private batch: JournalBatch | undefined;
  private readonly appending = new Set<Promise<void>>();

  constructor(
    private readonly journal: SystemTopicJournal,
    /** Seq of the latest batch begun: a snapshot taken now holds every batch up to it. */
    public lastSeq: number,
    private readonly onAppended: (batch: JournalBatch) => void,
    private readonly onFailed: (batch: JournalBatch, error: unknown) => void,
  ) {}

  /** The batch being gathered, begun (with its append scheduled for the end of this turn) if none is. */
  current(): { writer: MqttJournalWriter; batch: JournalBatch } {
    if (!this.writer || !this.batch) {
      this.lastSeq++;
      this.writer = new MqttJournalWriter(this.lastSeq);
      this.batch = new JournalBatch(this.lastSeq);
      setImmediate(() => this.flush());
    }
    return { writer: this.writer, batch: this.batch };
  }

  /** Appends the batch being gathered now rather than at the end of the turn. */
  flush(): void {
    const writer = this.writer;
    const batch = this.batch;
    this.writer = undefined;
    this.batch = undefined;
    if (!writer || !batch) return;
    const appending = this.journal.append(writer.finish()).then(
      (offset) => {
        batch.markAppended(offset);
        this.onAppended(batch);
      },
      (error: unknown) => {
        batch.markFailed(error);
        this.onFailed(batch, error);
      },
    );
    this.appending.add(appending);
    void appending.finally(() => this.appending.delete(appending));
  }

  /** Resolves once every append begun so far has finished, stored or failed. */
  async settled(): Promise<void> {
    await Promise.all([...this.appending]);
  }
}
