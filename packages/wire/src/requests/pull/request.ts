import type { BodyCodec } from '../../codec/body-codec';
import type { WireSubscription } from '../../codec/wire-subscription';
import { wireSubscriptionCodec } from '../../codec/wire-subscription-codec';

export interface PullRequest {
  /** The pulling group, for broker-side filtering; optional for plain pulls. */
  group?: string;
  topic: string;
  queueId: number;
  offset: number;
  maxCount: number;
  maxBytes: number;
  /** Hold the pull this long when nothing is there yet (0 = answer at once). */
  maxWaitMs: number;
  subscription?: WireSubscription;
}

/**
 * group | topic | queueId u32 | offset u64 | maxCount u32 | maxBytes u32 | maxWaitMs u32 |
 * subscription (expression type u8 | expression).
 */
export const pullRequestCodec: BodyCodec<PullRequest> = {
  encode(writer, request) {
    writer.string(request.group);
    writer.string(request.topic);
    writer.u32(request.queueId);
    writer.u64(request.offset);
    writer.u32(request.maxCount);
    writer.u32(request.maxBytes);
    writer.u32(request.maxWaitMs);
    wireSubscriptionCodec.encode(writer, request.subscription);
  },
  decode(reader) {
    const group = reader.optionalString();
    const topic = reader.string();
    const queueId = reader.u32();
    const offset = reader.u64();
    const maxCount = reader.u32();
    const maxBytes = reader.u32();
    const maxWaitMs = reader.u32();
    const subscription = wireSubscriptionCodec.decode(reader);
    const request: PullRequest = { group, topic, queueId, offset, maxCount, maxBytes, maxWaitMs };
    if (subscription) request.subscription = subscription;
    return request;
  },
};
