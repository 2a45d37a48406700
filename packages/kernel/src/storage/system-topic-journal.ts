import type { AppendMessage, AppendResult, QueueRange, ReadRequest, ReadResult } from './storage-engine';

/** What a journal needs of the broker: the Broker facade has it; kernel services built with the broker wrap replication and storage. */
export interface SystemTopicAccess {
  appendToSystemTopic(messages: readonly AppendMessage[]): Promise<AppendResult[]>;
  readSystemTopic(request: ReadRequest): Promise<ReadResult>;
  queueRange(topic: string, queueId: number): QueueRange;
}

const JOURNAL_QUEUE = 0;
const REPLAY_BATCH_MESSAGES = 1024;
const REPLAY_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * A journal kept in queue 0 of a `%SYS%` topic of the log itself: appended through replication
 * (so a cluster replicates the state it records with the messages) and read back at recovery.
 * Each message is one opaque body; its queue offset is its position in the journal.
 */
export class SystemTopicJournal {
  private readonly appending = new Set<Promise<unknown>>();

  constructor(
    private readonly access: SystemTopicAccess,
    readonly topic: string,
  ) {}

  /** The journal offset the next message will get. */
  get endOffset(): number {
    return this.access.queueRange(this.topic, JOURNAL_QUEUE).maxOffset;
  }

  /** Appends one message; resolves with its offset once it is durable under the store's policy. */
  async append(body: Buffer): Promise<number> {
    const appended = this.access.appendToSystemTopic([
      { topic: this.topic, queueId: JOURNAL_QUEUE, body, bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 },
    ]);
    this.appending.add(appended);
    try {
      const [result] = await appended;
      return result!.queueOffset;
    } finally {
      this.appending.delete(appended);
    }
  }

  /** Resolves once every append begun so far has finished, stored or failed. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.appending]);
  }

  /** The body of the message at `offset`, or undefined when retention deleted it. */
  async read(offset: number): Promise<Buffer | undefined> {
    const read = await this.access.readSystemTopic({ topic: this.topic, queueId: JOURNAL_QUEUE, offset, maxCount: 1, maxBytes: 1 });
    const message = read.status === 'FOUND' ? read.messages[0] : undefined;
    return message?.queueOffset === offset ? message.body : undefined;
  }

  /**
   * Hands every message from `fromOffset` to the end to `apply`, in order. Returns the offset it
   * started at, later than `fromOffset` when retention deleted that part already, and where it ended.
   */
  async replay(fromOffset: number, apply: (body: Buffer, offset: number) => void): Promise<{ from: number; to: number }> {
    const { minOffset, maxOffset } = this.access.queueRange(this.topic, JOURNAL_QUEUE);
    const from = Math.max(fromOffset, minOffset);
    let offset = from;
    while (offset < maxOffset) {
      const read = await this.access.readSystemTopic({
        topic: this.topic,
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
