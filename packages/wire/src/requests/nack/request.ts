import type { BodyCodec } from '../../codec/body-codec';

/** Hands leased messages back for redelivery (delivery count raised); answered with a SettleResponse. */
export interface NackRequest {
  group: string;
  receipts: string[];
  /** The messages become visible again after this long (0 = at once). */
  redeliverAfterMs: number;
}

/** group | receipts (count u16 | receipt each) | redeliverAfterMs u32. */
export const nackRequestCodec: BodyCodec<NackRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.stringList(request.receipts);
    writer.u32(request.redeliverAfterMs);
  },
  decode(reader) {
    return { group: reader.string(), receipts: reader.stringList(), redeliverAfterMs: reader.u32() };
  },
};
