import type { JournalBatch } from './journal-batch';

/**
 * One packet in a client's outgoing queue, without the packet: what outgoingUpdate and
 * outgoingClearMessageId match on, and where the packet's bytes are (batch, byte position).
 */
export class OutgoingEntry {
  constructor(
    public brokerId: unknown,
    public brokerCounter: unknown,
    public messageId: unknown,
    public batch: JournalBatch,
    public position: number,
  ) {}
}
