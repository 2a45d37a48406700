import { pullRequestCodec, pullResponseCodec, RequestCode, type WireSubscription } from '@tessera/wire';
import type { BrokerConnection } from '../connection/broker-connection';
import { InvalidSubscriptionError } from '../errors/invalid-subscription-error';

/**
 * Has the broker evaluate a subscription once, so a bad expression fails start() with
 * InvalidSubscriptionError rather than every later pull with an 'error' event. The probe is a pull
 * past any queue's end that waits for nothing: the broker builds the filter, then answers
 * OFFSET_OVERFLOW without reading. Any other failure (say, the topic does not exist yet) is left to
 * the consumer's own loop, which reports and retries it.
 */
export async function checkSubscription(
  connection: BrokerConnection,
  group: string,
  topic: string,
  subscription: WireSubscription | undefined,
): Promise<void> {
  if (!subscription) return;
  const probe = { group, topic, queueId: 0, offset: Number.MAX_SAFE_INTEGER, maxCount: 1, maxBytes: 1, maxWaitMs: 0, subscription };
  try {
    await connection.request(RequestCode.PULL, pullRequestCodec, probe, pullResponseCodec);
  } catch (error) {
    if (error instanceof InvalidSubscriptionError) throw error;
  }
}
