import type { BodyCodec } from '../../codec/body-codec';

export interface DescribeTopicRequest {
  name: string;
}

/** name. */
export const describeTopicRequestCodec: BodyCodec<DescribeTopicRequest> = {
  encode(writer, request) {
    writer.string(request.name);
  },
  decode(reader) {
    return { name: reader.string() };
  },
};
