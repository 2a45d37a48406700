import type { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';
import type { WireLeasedMessage } from './wire-leased-message';
import { wireStoredMessageCodec } from './wire-stored-message-codec';

const LEASE_FIXED_BYTES = 2 + 4 + 8;

/** A u32 count, then per message: stored message | receipt | deliveryCount u32 | leaseExpiresAt u64. */
export const wireLeasedMessageListCodec = {
  encode(writer: ByteWriter, leased: readonly WireLeasedMessage[]): void {
    writer.u32(leased.length);
    for (const entry of leased) {
      wireStoredMessageCodec.encode(writer, entry.message);
      writer.string(entry.receipt);
      writer.u32(entry.deliveryCount);
      writer.u64(entry.leaseExpiresAt);
    }
  },

  decode(reader: ByteReader): WireLeasedMessage[] {
    const count = reader.count(wireStoredMessageCodec.FIXED_BYTES + LEASE_FIXED_BYTES);
    const leased: WireLeasedMessage[] = new Array(count);
    for (let i = 0; i < count; i++) {
      leased[i] = { message: wireStoredMessageCodec.decode(reader), receipt: reader.string(), deliveryCount: reader.u32(), leaseExpiresAt: reader.u64() };
    }
    return leased;
  },

  /** Sum written for a list, so a response buffer is allocated once. */
  estimateBytes(leased: readonly WireLeasedMessage[]): number {
    let total = 0;
    for (const entry of leased) {
      const m = entry.message;
      total += 128 + LEASE_FIXED_BYTES + m.body.length + m.msgId.length + m.topic.length + entry.receipt.length;
    }
    return total;
  },
};
