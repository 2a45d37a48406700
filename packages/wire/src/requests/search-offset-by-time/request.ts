import type { BodyCodec } from '../../codec/body-codec';

export interface SearchOffsetByTimeRequest {
  topic: string;
  queueId: number;
  timestamp: number;
}

/** topic | queueId u32 | timestamp u64 (ms). */
export const searchOffsetByTimeRequestCodec: BodyCodec<SearchOffsetByTimeRequest> = {
  encode(writer, request) {
    writer.string(request.topic);
    writer.u32(request.queueId);
    writer.u64(request.timestamp);
  },
  decode(reader) {
    return { topic: reader.string(), queueId: reader.u32(), timestamp: reader.u64() };
  },
};
