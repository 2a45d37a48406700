import type { BodyCodec } from '../../codec/body-codec';

export interface QueryAssignmentRequest {
  group: string;
  topic: string;
  clientId: string;
}

/** group | topic | clientId. */
export const queryAssignmentRequestCodec: BodyCodec<QueryAssignmentRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.topic);
    writer.string(request.clientId);
  },
  decode(reader) {
    return { group: reader.string(), topic: reader.string(), clientId: reader.string() };
  },
};
