import type { BodyCodec } from '../../codec/body-codec';

export interface QueryMessagesByTimeRequest {
  topic: string;
  /** Inclusive store-time bounds, epoch ms. */
  beginTimestamp: number;
  endTimestamp: number;
  maxCount: number;
}

/** topic | beginTimestamp u64 | endTimestamp u64 | maxCount u32. */
export const queryMessagesByTimeRequestCodec: BodyCodec<QueryMessagesByTimeRequest> = {
  encode(writer, request) {
    writer.string(request.topic);
    writer.u64(request.beginTimestamp);
    writer.u64(request.endTimestamp);
    writer.u32(request.maxCount);
  },
  decode(reader) {
    return { topic: reader.string(), beginTimestamp: reader.u64(), endTimestamp: reader.u64(), maxCount: reader.u32() };
  },
};
