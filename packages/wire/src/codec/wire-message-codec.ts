import type { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';
import type { WireMessage } from './wire-message';

const NO_QUEUE = -1;

/**
 * One produced message inside a batch: queueId i32 | flag u32 | bornTimestamp u64 |
 * reconsumeTimes u32 | tag | keys | properties | body u32-length. The topic is the batch's.
 */
export const wireMessageCodec = {
  encode(writer: ByteWriter, message: WireMessage): void {
    writer.i32(message.queueId ?? NO_QUEUE);
    writer.u32(message.flag);
    writer.u64(message.bornTimestamp);
    writer.u32(message.reconsumeTimes);
    writer.string(message.tag);
    writer.stringList(message.keys);
    writer.stringMap(message.properties);
    writer.bytes(message.body);
  },

  decode(reader: ByteReader, topic: string): WireMessage {
    const queueId = reader.i32();
    const flag = reader.u32();
    const bornTimestamp = reader.u64();
    const reconsumeTimes = reader.u32();
    const tag = reader.optionalString();
    const keys = reader.stringList();
    const properties = reader.stringMap();
    const body = reader.bytes();
    return { topic, queueId: queueId === NO_QUEUE ? undefined : queueId, body, tag, keys, properties, bornTimestamp, flag, reconsumeTimes };
  },

  /** Fixed bytes of an entry, for a buffer size estimate. */
  FIXED_BYTES: 4 + 4 + 8 + 4 + 2 + 2 + 2 + 4,
};
