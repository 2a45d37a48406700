import type { BodyCodec } from '../../codec/body-codec';

/** A transactional producer asks for the checks of its group; held like a long-polled pull while there are none. */
export interface PollTransactionChecksRequest {
  producerGroup: string;
  clientId: string;
  /** Hold the request this long when there is no check (0 = answer at once). */
  maxWaitMs: number;
}

/** producerGroup | clientId | maxWaitMs u32. */
export const pollTransactionChecksRequestCodec: BodyCodec<PollTransactionChecksRequest> = {
  encode(writer, request) {
    writer.string(request.producerGroup);
    writer.string(request.clientId);
    writer.u32(request.maxWaitMs);
  },
  decode(reader) {
    return { producerGroup: reader.string(), clientId: reader.string(), maxWaitMs: reader.u32() };
  },
};
