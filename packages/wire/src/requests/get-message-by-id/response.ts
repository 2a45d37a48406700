import type { BodyCodec } from '../../codec/body-codec';
import type { WireStoredMessage } from '../../codec/wire-stored-message';
import { wireStoredMessageCodec } from '../../codec/wire-stored-message-codec';

export interface GetMessageByIdResponse {
  message: WireStoredMessage;
}

/** One stored message (wireStoredMessageCodec). */
export const getMessageByIdResponseCodec: BodyCodec<GetMessageByIdResponse> = {
  encode(writer, response) {
    wireStoredMessageCodec.encode(writer, response.message);
  },
  decode(reader) {
    return { message: wireStoredMessageCodec.decode(reader) };
  },
};
