import type { MessageHooks } from '../hooks/message-hooks';
import type { Logger } from '../logging/logger';
import type { StorageEngine } from '../storage/storage-engine';
import type { PendingMessage } from './pop-queue-state';

/**
 * Offers a pending message to the consume-failure hooks (retry, DLQ) in order. True when one took
 * it, or when the log no longer holds it (nothing is left to redeliver); false when none took it
 * or the offer failed (logged).
 */
export async function offerToFailureHooks(
  storage: StorageEngine,
  hooks: readonly MessageHooks[],
  logger: Logger,
  entry: PendingMessage,
  reason: string,
): Promise<boolean> {
  const { group, topic, queueId } = entry.queue;
  try {
    const read = await storage.read({ topic, queueId, offset: entry.offset, maxCount: 1, maxBytes: Number.MAX_SAFE_INTEGER });
    const message = read.messages[0];
    if (message?.queueOffset !== entry.offset) return true;
    for (const hook of hooks) if (await hook.onConsumeFailure?.({ group, message, reason, deliveryCount: entry.deliveryCount })) return true;
  } catch (error) {
    logger.error(
      { err: error, group, topic, queueId, offset: entry.offset },
      'handing a failed message to the consume-failure hooks failed; it stays redeliverable',
    );
  }
  return false;
}
