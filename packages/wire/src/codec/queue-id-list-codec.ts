import type { BodyCodec } from './body-codec';

/** count u16 | queueId u16 each: queues of one topic (a topic has at most 65535 queues). */
export const queueIdListCodec: BodyCodec<number[]> = {
  encode(writer, queueIds) {
    writer.u16(queueIds.length);
    for (const queueId of queueIds) writer.u16(queueId);
  },
  decode(reader) {
    const count = reader.u16();
    const queueIds: number[] = new Array(count);
    for (let i = 0; i < count; i++) queueIds[i] = reader.u16();
    return queueIds;
  },
};
