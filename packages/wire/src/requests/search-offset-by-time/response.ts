import type { BodyCodec } from '../../codec/body-codec';

export interface SearchOffsetByTimeResponse {
  offset: number;
}

/** offset u64: the first offset stored at or after the timestamp. */
export const searchOffsetByTimeResponseCodec: BodyCodec<SearchOffsetByTimeResponse> = {
  encode(writer, response) {
    writer.u64(response.offset);
  },
  decode(reader) {
    return { offset: reader.u64() };
  },
};
