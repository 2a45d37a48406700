import type { BodyCodec } from '../../codec/body-codec';

export interface QueueRangeRequest {
  topic: string;
  queueId: number;
}

/** topic | queueId u32. */
export const queueRangeRequestCodec: BodyCodec<QueueRangeRequest> = {
  encode(writer, request) {
    writer.string(request.topic);
    writer.u32(request.queueId);
  },
  decode(reader) {
    return { topic: reader.string(), queueId: reader.u32() };
  },
};
