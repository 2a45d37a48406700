import type { AppendMessage, Broker } from '@tessera/kernel';
import { readSystemQueue } from './read-system-queue';
import { DECISION_TOPIC, TRANSACTION_QUEUE_ID } from './transaction-topics';

export type StoredDecision = 'COMMIT' | 'ROLLBACK';

interface PendingRecord {
  message: AppendMessage;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The durable record of decided half messages, in the decision topic: one message per decision,
 * tag COMMIT or ROLLBACK, body the half's id. Decisions recorded in the same tick are appended
 * together, in one write.
 */
export class DecisionLog {
  private pending: PendingRecord[] = [];

  constructor(private readonly broker: Broker) {}

  /** The offset the next record will get. */
  get endOffset(): number {
    return this.broker.queueRange(DECISION_TOPIC, TRANSACTION_QUEUE_ID).maxOffset;
  }

  /** Resolves once the record is durable. */
  record(decision: StoredDecision, halfMsgId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const message: AppendMessage = {
        topic: DECISION_TOPIC,
        queueId: TRANSACTION_QUEUE_ID,
        body: Buffer.from(halfMsgId, 'latin1'),
        tag: decision,
        bornTimestamp: Date.now(),
        flag: 0,
        reconsumeTimes: 0,
      };
      if (this.pending.push({ message, resolve, reject }) === 1) process.nextTick(() => this.appendPending());
    });
  }

  /** Hands every record from `fromOffset` on to `apply`, in order. */
  async replay(fromOffset: number, apply: (decision: StoredDecision, halfMsgId: string) => void): Promise<void> {
    await readSystemQueue(this.broker, DECISION_TOPIC, fromOffset, (record) => {
      if (record.tag === 'COMMIT' || record.tag === 'ROLLBACK') apply(record.tag, record.body.toString('latin1'));
    });
  }

  private appendPending(): void {
    const records = this.pending;
    this.pending = [];
    this.broker.appendToSystemTopic(records.map((r) => r.message)).then(
      () => records.forEach((r) => r.resolve()),
      (error: unknown) => records.forEach((r) => r.reject(error)),
    );
  }
}
