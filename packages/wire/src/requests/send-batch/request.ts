import type { BodyCodec } from '../../codec/body-codec';
import type { WireMessage } from '../../codec/wire-message';
import { wireMessageCodec } from '../../codec/wire-message-codec';

/** One frame of messages for one topic. */
export interface SendBatchRequest {
  producerGroup?: string;
  topic: string;
  messages: WireMessage[];
}

/** producerGroup | topic | count u32 | messages (see wireMessageCodec). */
export const sendBatchRequestCodec: BodyCodec<SendBatchRequest> = {
  encode(writer, request) {
    writer.string(request.producerGroup);
    writer.string(request.topic);
    writer.u32(request.messages.length);
    for (const message of request.messages) wireMessageCodec.encode(writer, message);
  },
  decode(reader) {
    const producerGroup = reader.optionalString();
    const topic = reader.string();
    const count = reader.count(wireMessageCodec.FIXED_BYTES);
    const messages: WireMessage[] = new Array(count);
    for (let i = 0; i < count; i++) messages[i] = wireMessageCodec.decode(reader, topic);
    return { producerGroup, topic, messages };
  },
};
