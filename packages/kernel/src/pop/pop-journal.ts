import type { ReplicationDriver } from '../replication/replication-driver';
import type { StorageEngine } from '../storage/storage-engine';
import { KERNEL_TOPIC_PREFIX } from '../topic/topic-config';
import type { PopJournalWriter } from './pop-journal-writer';

/** Queue 0 of this topic holds the POP journal. The registry never lists it; clients cannot name it. */
export const POP_JOURNAL_TOPIC = `${KERNEL_TOPIC_PREFIX}POP_JOURNAL`;
const JOURNAL_QUEUE = 0;
const REPLAY_BATCH_MESSAGES = 1024;
const REPLAY_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * The POP journal in the log itself, written through replication (so a cluster replicates
 * consumption state with the messages) and read back from storage at recovery.
 */
export class PopJournal {
  private readonly appending = new Set<Promise<unknown>>();

  constructor(
    private readonly replication: ReplicationDriver,
    private readonly storage: StorageEngine,
  ) {}

  /** The journal offset the next message will get. */
  get endOffset(): number {
    return this.storage.queueRange(POP_JOURNAL_TOPIC, JOURNAL_QUEUE).maxOffset;
  }

  /** Appends one journal message; resolves when it is durable under the store's policy. */
  append(writer: PopJournalWriter): Promise<void> {
    const appended = this.replication.append([
      { topic: POP_JOURNAL_TOPIC, queueId: JOURNAL_QUEUE, body: writer.finish(), bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 },
    ]);
    this.appending.add(appended);
    const forget = () => this.appending.delete(appended);
    appended.then(forget, forget);
    return appended.then(() => undefined);
  }

  /** Resolves once every append begun so far has finished, stored or failed. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.appending]);
  }

  /**
   * Hands every journal message from `fromOffset` to the end to `apply`, in order. Returns the
   * offset it started at, later than `fromOffset` when retention deleted that part already.
   */
  async replay(fromOffset: number, apply: (body: Buffer, offset: number) => void): Promise<{ from: number; to: number }> {
    const { minOffset, maxOffset } = this.storage.queueRange(POP_JOURNAL_TOPIC, JOURNAL_QUEUE);
    const from = Math.max(fromOffset, minOffset);
    let offset = from;
    while (offset < maxOffset) {
      const read = await this.storage.read({
        topic: POP_JOURNAL_TOPIC,
        queueId: JOURNAL_QUEUE,
        offset,
        maxCount: REPLAY_BATCH_MESSAGES,
        maxBytes: REPLAY_BATCH_BYTES,
      });
      if (read.status !== 'FOUND') break;
      for (const message of read.messages) apply(message.body, message.queueOffset);
      offset = read.nextOffset;
    }
    return { from, to: offset };
  }
}
