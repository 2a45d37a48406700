import type { BodyCodec } from '../../codec/body-codec';

/** The committed offset; undefined when the group never committed on the queue. */
export interface QueryOffsetResponse {
  offset?: number;
}

/** present u8 | offset u64 when present. */
export const queryOffsetResponseCodec: BodyCodec<QueryOffsetResponse> = {
  encode(writer, response) {
    writer.optionalU64(response.offset);
  },
  decode(reader) {
    const offset = reader.optionalU64();
    return offset === undefined ? {} : { offset };
  },
};
