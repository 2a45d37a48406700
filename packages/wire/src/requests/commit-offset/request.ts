import type { BodyCodec } from '../../codec/body-codec';

export interface CommitOffsetRequest {
  group: string;
  topic: string;
  queueId: number;
  offset: number;
}

/** group | topic | queueId u32 | offset u64. The response has an empty body. */
export const commitOffsetRequestCodec: BodyCodec<CommitOffsetRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.topic);
    writer.u32(request.queueId);
    writer.u64(request.offset);
  },
  decode(reader) {
    return { group: reader.string(), topic: reader.string(), queueId: reader.u32(), offset: reader.u64() };
  },
};
