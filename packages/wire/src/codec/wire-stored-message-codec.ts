import type { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';
import type { WireStoredMessage } from './wire-stored-message';

/**
 * msgId | topic | queueId u32 | queueOffset u64 | commitLogOffset u64 | storeTimestamp u64 |
 * bornTimestamp u64 | flag u32 | reconsumeTimes u32 | tag | keys | properties | body u32-length.
 */
export const wireStoredMessageCodec = {
  encode(writer: ByteWriter, message: WireStoredMessage): void {
    writer.string(message.msgId);
    writer.string(message.topic);
    writer.u32(message.queueId);
    writer.u64(message.queueOffset);
    writer.u64(message.commitLogOffset);
    writer.u64(message.storeTimestamp);
    writer.u64(message.bornTimestamp);
    writer.u32(message.flag);
    writer.u32(message.reconsumeTimes);
    writer.string(message.tag);
    writer.stringList(message.keys);
    writer.stringMap(message.properties);
    writer.bytes(message.body);
  },

  decode(reader: ByteReader): WireStoredMessage {
    return {
      msgId: reader.string(),
      topic: reader.string(),
      queueId: reader.u32(),
      queueOffset: reader.u64(),
      commitLogOffset: reader.u64(),
      storeTimestamp: reader.u64(),
      bornTimestamp: reader.u64(),
      flag: reader.u32(),
      reconsumeTimes: reader.u32(),
      tag: reader.optionalString(),
      keys: reader.stringList(),
      properties: reader.stringMap(),
      body: reader.bytes(),
    };
  },

  /** Fixed bytes of an entry (empty strings), for size estimates and count checks. */
  FIXED_BYTES: 2 + 2 + 4 + 8 * 4 + 4 + 4 + 2 + 2 + 2 + 4,

  /** Sum written for a list of messages, so a response buffer is allocated once. */
  estimateBytes(messages: readonly WireStoredMessage[]): number {
    let total = 0;
    for (const m of messages) total += 128 + m.body.length + m.msgId.length + m.topic.length;
    return total;
  },
};
