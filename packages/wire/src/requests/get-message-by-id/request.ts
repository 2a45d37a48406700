import type { BodyCodec } from '../../codec/body-codec';

export interface GetMessageByIdRequest {
  msgId: string;
}

/** msgId. The response is one stored message, or MESSAGE_NOT_FOUND. */
export const getMessageByIdRequestCodec: BodyCodec<GetMessageByIdRequest> = {
  encode(writer, request) {
    writer.string(request.msgId);
  },
  decode(reader) {
    return { msgId: reader.string() };
  },
};
