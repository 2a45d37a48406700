import type { Broker } from '@tessera/kernel';

/** Queue 0 of this system topic holds the MQTT persistence journal. */
export const MQTT_JOURNAL_TOPIC = '%SYS%MQTT_PERSISTENCE';
const JOURNAL_QUEUE = 0;
const REPLAY_BATCH_MESSAGES = 1024;
const REPLAY_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * The journal in the log itself, appended through the broker facade (so through replication: a
 * cluster replicates MQTT sessions with the messages) and read back at recovery and for queued packets.
 */
export class MqttJournal {
  constructor(private readonly broker: Broker) {}

  /** The journal offset the next message will get. */
  get endOffset(): number {
    return this.broker.queueRange(MQTT_JOURNAL_TOPIC, JOURNAL_QUEUE).maxOffset;
  }

  /** Appends one journal message; resolves with its offset once durable under the store's policy. */
  async append(body: Buffer): Promise<number> {
    const [result] = await this.broker.appendToSystemTopic([
      { topic: MQTT_JOURNAL_TOPIC, queueId: JOURNAL_QUEUE, body, bornTimestamp: Date.now(), flag: 0, reconsumeTimes: 0 },
    ]);
    return result!.queueOffset;
  }

  /** The body of the journal message at `offset`, or undefined when retention deleted it. */
  async read(offset: number): Promise<Buffer | undefined> {
    const read = await this.broker.readSystemTopic({ topic: MQTT_JOURNAL_TOPIC, queueId: JOURNAL_QUEUE, offset, maxCount: 1, maxBytes: 1 });
    const message = read.status === 'FOUND' ? read.messages[0] : undefined;
    return message?.queueOffset === offset ? message.body : undefined;
  }

  /**
   * Hands every journal message from `fromOffset` to the end to `apply`, in order. Returns the
   * offset it started at, later than `fromOffset` when retention deleted that part already.
   */
  async replay(fromOffset: number, apply: (body: Buffer, offset: number) => void): Promise<{ from: number; to: number }> {
    const { minOffset, maxOffset } = this.broker.queueRange(MQTT_JOURNAL_TOPIC, JOURNAL_QUEUE);
    const from = Math.max(fromOffset, minOffset);
    let offset = from;
    while (offset < maxOffset) {
      const read = await this.broker.readSystemTopic({
        topic: MQTT_JOURNAL_TOPIC,
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
