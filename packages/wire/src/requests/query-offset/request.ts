import type { BodyCodec } from '../../codec/body-codec';

export interface QueryOffsetRequest {
  group: string;
  topic: string;
  queueId: number;
}

/** group | topic | queueId u32. */
export const queryOffsetRequestCodec: BodyCodec<QueryOffsetRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.topic);
    writer.u32(request.queueId);
  },
  decode(reader) {
    return { group: reader.string(), topic: reader.string(), queueId: reader.u32() };
  },
};
