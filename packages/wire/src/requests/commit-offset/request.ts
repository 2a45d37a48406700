import type { BodyCodec } from '../../codec/body-codec';

export interface CommitOffsetRequest {
  group: string;
  topic: string;
  queueId: number;
  offset: number;
  /**
   * The committing group member: the broker refuses the commit with QUEUE_NOT_OWNED unless that
   * member owns the queue. Absent for tools and self-managed offsets, which commit unfenced.
   */
  clientId?: string;
}

/** group | topic | queueId u32 | offset u64 | clientId ('' = absent). The response has an empty body. */
export const commitOffsetRequestCodec: BodyCodec<CommitOffsetRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.topic);
    writer.u32(request.queueId);
    writer.u64(request.offset);
    writer.string(request.clientId);
  },
  decode(reader) {
    const request: CommitOffsetRequest = { group: reader.string(), topic: reader.string(), queueId: reader.u32(), offset: reader.u64() };
    const clientId = reader.optionalString();
    if (clientId !== undefined) request.clientId = clientId;
    return request;
  },
};
