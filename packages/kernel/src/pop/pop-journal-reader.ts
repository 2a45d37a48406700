import { POP_JOURNAL_VERSION, PopJournalOp } from './pop-journal-format';

export type PopJournalOpName = 'LEASE' | 'ACK' | 'VISIBLE' | 'FORGET' | 'START';

/**
 * Walks the ops of one POP journal message (see pop-journal-format.ts) in place: after each
 * `next()` the fields describe the current op. Throws on a body it cannot read.
 */
export class PopJournalReader {
  readonly group: string;
  readonly clientId: string;
  op: PopJournalOpName = 'ACK';
  topic = '';
  queueId = 0;
  offset = 0;
  /** LEASE: the lease id. */
  leaseId = 0;
  /** LEASE: when the lease expires; VISIBLE: when the message may be delivered again. */
  dueAt = 0;
  /** LEASE, VISIBLE: deliveries so far. */
  deliveryCount = 0;
  /** LEASE: the message's body size, for the consumer's in-flight bytes. */
  bodyBytes = 0;
  private position = 0;
  private queueSelected = false;

  constructor(private readonly body: Buffer) {
    const version = this.readByte();
    if (version !== POP_JOURNAL_VERSION) throw new Error(`unknown pop journal version ${version}`);
    this.group = this.readString();
    this.clientId = this.readString();
  }

  /** Moves to the next LEASE, ACK, VISIBLE, FORGET or START op; false at the end of the body. */
  next(): boolean {
    for (;;) {
      if (this.position === this.body.length) return false;
      const op = this.readByte();
      if (op === PopJournalOp.QUEUE) {
        this.topic = this.readString();
        this.queueId = this.readVarint();
        this.queueSelected = true;
        continue;
      }
      if (op < PopJournalOp.LEASE || op > PopJournalOp.START) {
        throw new Error(`unknown pop journal op ${op} at byte ${this.position - 1}`);
      }
      if (!this.queueSelected) throw new Error(`pop journal op ${op} before any queue`);
      if (op === PopJournalOp.FORGET) {
        this.op = 'FORGET';
        return true;
      }
      this.offset = this.readVarint();
      switch (op) {
        case PopJournalOp.LEASE:
          this.op = 'LEASE';
          this.leaseId = this.readVarint();
          this.dueAt = this.readVarint();
          this.deliveryCount = this.readVarint();
          this.bodyBytes = this.readVarint();
          return true;
        case PopJournalOp.ACK:
          this.op = 'ACK';
          return true;
        case PopJournalOp.VISIBLE:
          this.op = 'VISIBLE';
          this.dueAt = this.readVarint();
          this.deliveryCount = this.readVarint();
          return true;
        case PopJournalOp.START:
          this.op = 'START';
          return true;
      }
    }
  }

  private readByte(): number {
    if (this.position >= this.body.length) throw new Error('pop journal message ends in the middle of an op');
    return this.body[this.position++]!;
  }

  private readString(): string {
    const length = this.readVarint();
    const end = this.position + length;
    if (end > this.body.length) throw new Error('pop journal message ends in the middle of a string');
    const value = this.body.toString('utf8', this.position, end);
    this.position = end;
    return value;
  }

  private readVarint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.readByte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    throw new Error('pop journal varint longer than 8 bytes');
  }
}
