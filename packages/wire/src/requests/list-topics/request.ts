import type { BodyCodec } from '../../codec/body-codec';

export interface ListTopicsRequest {
  includeSystem: boolean;
}

/** includeSystem u8. */
export const listTopicsRequestCodec: BodyCodec<ListTopicsRequest> = {
  encode(writer, request) {
    writer.bool(request.includeSystem);
  },
  decode(reader) {
    return { includeSystem: reader.bool() };
  },
};
