import type { BodyCodec } from '../../codec/body-codec';
import type { WireSubscription } from '../../codec/wire-subscription';
import { wireSubscriptionCodec } from '../../codec/wire-subscription-codec';

const ANY_QUEUE = -1;

/** A per-message-ack (POP) consumer asks for messages, each leased to it for `invisibleMs`. */
export interface ReceiveRequest {
  group: string;
  topic: string;
  clientId: string;
  /** Receive from this queue only; from every read queue of the topic when absent. */
  queueId?: number;
  maxCount: number;
  /** Body bytes in this answer; one message is returned even when it alone is larger. */
  maxBytes: number;
  /** How long the messages stay invisible to others unless acked, nacked or extended. */
  invisibleMs: number;
  /** Hold the request this long when nothing is visible (0 = answer at once). */
  maxWaitMs: number;
  subscription?: WireSubscription;
}

/**
 * group | topic | clientId | queueId i32 (-1 = any) | maxCount u32 | maxBytes u32 | invisibleMs u32 |
 * maxWaitMs u32 | subscription (expression type u8 | expression).
 */
export const receiveRequestCodec: BodyCodec<ReceiveRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.topic);
    writer.string(request.clientId);
    writer.i32(request.queueId ?? ANY_QUEUE);
    writer.u32(request.maxCount);
    writer.u32(request.maxBytes);
    writer.u32(request.invisibleMs);
    writer.u32(request.maxWaitMs);
    wireSubscriptionCodec.encode(writer, request.subscription);
  },
  decode(reader) {
    const group = reader.string();
    const topic = reader.string();
    const clientId = reader.string();
    const queueId = reader.i32();
    const request: ReceiveRequest = { group, topic, clientId, maxCount: reader.u32(), maxBytes: reader.u32(), invisibleMs: reader.u32(), maxWaitMs: reader.u32() };
    if (queueId !== ANY_QUEUE) request.queueId = queueId;
    const subscription = wireSubscriptionCodec.decode(reader);
    if (subscription) request.subscription = subscription;
    return request;
  },
};
