import type { BodyCodec } from '../../codec/body-codec';

/** Whether a broker plugin (retry, DLQ) took charge; if not, the consumer redelivers itself. */
export interface ConsumeFailedResponse {
  tookCharge: boolean;
}

/** tookCharge u8. */
export const consumeFailedResponseCodec: BodyCodec<ConsumeFailedResponse> = {
  encode(writer, response) {
    writer.bool(response.tookCharge);
  },
  decode(reader) {
    return { tookCharge: reader.bool() };
  },
};
