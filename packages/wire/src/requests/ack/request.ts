import type { BodyCodec } from '../../codec/body-codec';

/** Settles leased messages as consumed; answered with a SettleResponse. */
export interface AckRequest {
  group: string;
  receipts: string[];
}

/** group | receipts (count u16 | receipt each). */
export const ackRequestCodec: BodyCodec<AckRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.stringList(request.receipts);
  },
  decode(reader) {
    return { group: reader.string(), receipts: reader.stringList() };
  },
};
