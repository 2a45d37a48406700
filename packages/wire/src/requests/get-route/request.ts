import type { BodyCodec } from '../../codec/body-codec';

export interface GetRouteRequest {
  topic: string;
}

/** topic. */
export const getRouteRequestCodec: BodyCodec<GetRouteRequest> = {
  encode(writer, request) {
    writer.string(request.topic);
  },
  decode(reader) {
    return { topic: reader.string() };
  },
};
