import type { BodyCodec } from '../../codec/body-codec';

export interface QueryMessagesByKeyRequest {
  topic: string;
  key: string;
  maxCount: number;
  beginTimestamp?: number;
  endTimestamp?: number;
}

/** topic | key | maxCount u32 | optional beginTimestamp u64 | optional endTimestamp u64. */
export const queryMessagesByKeyRequestCodec: BodyCodec<QueryMessagesByKeyRequest> = {
  encode(writer, request) {
    writer.string(request.topic);
    writer.string(request.key);
    writer.u32(request.maxCount);
    writer.optionalU64(request.beginTimestamp);
    writer.optionalU64(request.endTimestamp);
  },
  decode(reader) {
    const request: QueryMessagesByKeyRequest = { topic: reader.string(), key: reader.string(), maxCount: reader.u32() };
    const beginTimestamp = reader.optionalU64();
    const endTimestamp = reader.optionalU64();
    if (beginTimestamp !== undefined) request.beginTimestamp = beginTimestamp;
    if (endTimestamp !== undefined) request.endTimestamp = endTimestamp;
    return request;
  },
};
