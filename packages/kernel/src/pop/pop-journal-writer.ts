import { POP_JOURNAL_VERSION, PopJournalOp } from './pop-journal-format';

const INITIAL_BYTES = 256;
/** The most bytes one op can take besides a topic name: an op byte and five varints of up to 8 bytes. */
const MAX_OP_BYTES = 1 + 5 * 8;

/** Builds the body of one POP journal message (see pop-journal-format.ts) without a per-op object. */
export class PopJournalWriter {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;
  private readonly headerLength: number;
  private topic: string | undefined;
  private queueId = -1;

  constructor(group: string, clientId: string) {
    this.writeByte(POP_JOURNAL_VERSION);
    this.writeString(group);
    this.writeString(clientId);
    this.headerLength = this.length;
  }

  get isEmpty(): boolean {
    return this.length === this.headerLength;
  }

  lease(
    topic: string,
    queueId: number,
    offset: number,
    leaseId: number,
    expiresAt: number,
    deliveryCount: number,
    bodyBytes: number,
  ): void {
    this.beginOp(topic, queueId, PopJournalOp.LEASE);
    this.writeVarint(offset);
    this.writeVarint(leaseId);
    this.writeVarint(expiresAt);
    this.writeVarint(deliveryCount);
    this.writeVarint(bodyBytes);
  }

  ack(topic: string, queueId: number, offset: number): void {
    this.beginOp(topic, queueId, PopJournalOp.ACK);
    this.writeVarint(offset);
  }

  visible(topic: string, queueId: number, offset: number, visibleAt: number, deliveryCount: number): void {
    this.beginOp(topic, queueId, PopJournalOp.VISIBLE);
    this.writeVarint(offset);
    this.writeVarint(visibleAt);
    this.writeVarint(deliveryCount);
  }

  /** The group's whole state on the queue goes (its topic was deleted). */
  forget(topic: string, queueId: number): void {
    this.beginOp(topic, queueId, PopJournalOp.FORGET);
  }

  /** The group, new on the queue, starts at `offset` (journalled so a LATEST start survives a crash before any delivery). */
  start(topic: string, queueId: number, offset: number): void {
    this.beginOp(topic, queueId, PopJournalOp.START);
    this.writeVarint(offset);
  }

  /** The message body; the writer must not be used afterwards. */
  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private beginOp(topic: string, queueId: number, op: number): void {
    if (topic !== this.topic || queueId !== this.queueId) {
      this.topic = topic;
      this.queueId = queueId;
      this.writeByte(PopJournalOp.QUEUE);
      this.writeString(topic);
      this.writeVarint(queueId);
    }
    this.ensure(MAX_OP_BYTES);
    this.buffer[this.length++] = op;
  }

  private writeByte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  private writeString(value: string): void {
    const bytes = Buffer.byteLength(value);
    this.writeVarint(bytes);
    this.ensure(bytes);
    this.length += this.buffer.write(value, this.length, 'utf8');
  }

  private writeVarint(value: number): void {
    this.ensure(8);
    while (value >= 0x80) {
      this.buffer[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.length++] = value;
  }

  private ensure(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
