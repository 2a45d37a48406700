import type { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';
import type { WireStoredMessage } from './wire-stored-message';
import { wireStoredMessageCodec } from './wire-stored-message-codec';

/** A u32 count, then that many stored messages. */
export const wireStoredMessageListCodec = {
  encode(writer: ByteWriter, messages: readonly WireStoredMessage[]): void {
    writer.u32(messages.length);
    for (const message of messages) wireStoredMessageCodec.encode(writer, message);
  },

  decode(reader: ByteReader): WireStoredMessage[] {
    const count = reader.count(wireStoredMessageCodec.FIXED_BYTES);
    const messages: WireStoredMessage[] = new Array(count);
    for (let i = 0; i < count; i++) messages[i] = wireStoredMessageCodec.decode(reader);
    return messages;
  },
};
