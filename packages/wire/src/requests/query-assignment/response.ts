import type { BodyCodec } from '../../codec/body-codec';

export interface QueryAssignmentResponse {
  queueIds: number[];
}

/** count u16 | queueId u16 each. */
export const queryAssignmentResponseCodec: BodyCodec<QueryAssignmentResponse> = {
  encode(writer, response) {
    writer.u16(response.queueIds.length);
    for (const queueId of response.queueIds) writer.u16(queueId);
  },
  decode(reader) {
    const count = reader.u16();
    const queueIds: number[] = new Array(count);
    for (let i = 0; i < count; i++) queueIds[i] = reader.u16();
    return { queueIds };
  },
};
