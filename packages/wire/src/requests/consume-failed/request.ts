import type { BodyCodec } from '../../codec/body-codec';

/** A consumer hands a message back: the broker's retry hooks may take charge of it. */
export interface ConsumeFailedRequest {
  group: string;
  msgId: string;
  reason: string;
  /** A delay level the consumer asks for; 0 on the wire when absent. */
  delayLevel?: number;
  /**
   * Deliveries the consumer already made itself (an ORDERLY member retries in place): the broker
   * dead-letters such a message instead of retrying it again. 0 on the wire when absent.
   */
  deliveryCount?: number;
}

/** group | msgId | reason | delayLevel u8 | deliveryCount u32. */
export const consumeFailedRequestCodec: BodyCodec<ConsumeFailedRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.msgId);
    writer.string(request.reason);
    writer.u8(request.delayLevel ?? 0);
    writer.u32(request.deliveryCount ?? 0);
  },
  decode(reader) {
    const request: ConsumeFailedRequest = { group: reader.string(), msgId: reader.string(), reason: reader.string() };
    const delayLevel = reader.u8();
    if (delayLevel > 0) request.delayLevel = delayLevel;
    const deliveryCount = reader.u32();
    if (deliveryCount > 0) request.deliveryCount = deliveryCount;
    return request;
  },
};
