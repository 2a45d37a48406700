import type { BodyCodec } from '../../codec/body-codec';

/** Where each queue of the topic now stands for the group. */
export interface ResetOffsetResponse {
  queues: Array<{ queueId: number; offset: number }>;
}

/** count u16 | (queueId u16 | offset u64) each. */
export const resetOffsetResponseCodec: BodyCodec<ResetOffsetResponse> = {
  encode(writer, response) {
    writer.u16(response.queues.length);
    for (const queue of response.queues) {
      writer.u16(queue.queueId);
      writer.u64(queue.offset);
    }
  },
  decode(reader) {
    const count = reader.u16();
    const queues: ResetOffsetResponse['queues'] = new Array(count);
    for (let i = 0; i < count; i++) queues[i] = { queueId: reader.u16(), offset: reader.u64() };
    return { queues };
  },
};
