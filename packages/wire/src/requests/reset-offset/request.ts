import type { BodyCodec } from '../../codec/body-codec';
import { WireFormatError } from '../../frame/wire-format-error';

/** Moves a group's committed offsets on every queue of a topic: exactly one of the two targets. */
export interface ResetOffsetRequest {
  group: string;
  topic: string;
  /** The same offset on every queue. */
  toOffset?: number;
  /** Epoch ms: each queue moves to the offset of its messages stored at that time. */
  toTimestamp?: number;
}

/** group | topic | optional toOffset u64 | optional toTimestamp u64 (exactly one present). */
export const resetOffsetRequestCodec: BodyCodec<ResetOffsetRequest> = {
  encode(writer, request) {
    if ((request.toOffset === undefined) === (request.toTimestamp === undefined)) {
      throw new RangeError('a reset needs exactly one of toOffset and toTimestamp');
    }
    writer.string(request.group);
    writer.string(request.topic);
    writer.optionalU64(request.toOffset);
    writer.optionalU64(request.toTimestamp);
  },
  decode(reader) {
    const group = reader.string();
    const topic = reader.string();
    const toOffset = reader.optionalU64();
    const toTimestamp = reader.optionalU64();
    if (toOffset !== undefined && toTimestamp === undefined) return { group, topic, toOffset };
    if (toTimestamp !== undefined && toOffset === undefined) return { group, topic, toTimestamp };
    throw new WireFormatError('a reset needs exactly one of toOffset and toTimestamp');
  },
};
