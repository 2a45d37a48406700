import type { BodyCodec } from '../../codec/body-codec';

export interface DeleteTopicRequest {
  name: string;
}

/** name. Empty response. */
export const deleteTopicRequestCodec: BodyCodec<DeleteTopicRequest> = {
  encode(writer, request) {
    writer.string(request.name);
  },
  decode(reader) {
    return { name: reader.string() };
  },
};
