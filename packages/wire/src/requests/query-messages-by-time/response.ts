import type { BodyCodec } from '../../codec/body-codec';
import type { WireStoredMessage } from '../../codec/wire-stored-message';
import { wireStoredMessageListCodec } from '../../codec/wire-stored-message-list-codec';

export interface QueryMessagesByTimeResponse {
  messages: WireStoredMessage[];
}

/** count u32 | stored messages. */
export const queryMessagesByTimeResponseCodec: BodyCodec<QueryMessagesByTimeResponse> = {
  encode(writer, response) {
    wireStoredMessageListCodec.encode(writer, response.messages);
  },
  decode(reader) {
    return { messages: wireStoredMessageListCodec.decode(reader) };
  },
};
