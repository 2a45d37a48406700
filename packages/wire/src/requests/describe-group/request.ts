import type { BodyCodec } from '../../codec/body-codec';

export interface DescribeGroupRequest {
  group: string;
  topic: string;
}

/** group | topic. */
export const describeGroupRequestCodec: BodyCodec<DescribeGroupRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.topic);
  },
  decode(reader) {
    return { group: reader.string(), topic: reader.string() };
  },
};
