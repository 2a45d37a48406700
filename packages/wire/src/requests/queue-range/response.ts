import type { BodyCodec } from '../../codec/body-codec';

export interface QueueRangeResponse {
  minOffset: number;
  maxOffset: number;
}

/** minOffset u64 | maxOffset u64. */
export const queueRangeResponseCodec: BodyCodec<QueueRangeResponse> = {
  encode(writer, response) {
    writer.u64(response.minOffset);
    writer.u64(response.maxOffset);
  },
  decode(reader) {
    return { minOffset: reader.u64(), maxOffset: reader.u64() };
  },
};
