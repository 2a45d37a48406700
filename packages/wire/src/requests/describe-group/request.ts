import type { BodyCodec } from '../../codec/body-codec';

export interface DescribeGroupRequest {
  group: string;
  /** Progress on this topic only; on every topic the group consumes when absent. */
  topic?: string;
}

/** group | topic ('' = absent). */
export const describeGroupRequestCodec: BodyCodec<DescribeGroupRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.topic);
  },
  decode(reader) {
    const group = reader.string();
    const topic = reader.optionalString();
    return topic === undefined ? { group } : { group, topic };
  },
};
