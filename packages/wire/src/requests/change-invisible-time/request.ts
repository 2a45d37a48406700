import type { BodyCodec } from '../../codec/body-codec';

/** Extends or shortens one lease; the old receipt becomes stale. */
export interface ChangeInvisibleTimeRequest {
  group: string;
  receipt: string;
  /** The message stays invisible this long from now. */
  invisibleMs: number;
}

/** group | receipt | invisibleMs u32. */
export const changeInvisibleTimeRequestCodec: BodyCodec<ChangeInvisibleTimeRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.receipt);
    writer.u32(request.invisibleMs);
  },
  decode(reader) {
    return { group: reader.string(), receipt: reader.string(), invisibleMs: reader.u32() };
  },
};
