import type { Broker, StoredMessage } from '@tessera/kernel';
import { TRANSACTION_QUEUE_ID } from './transaction-topics';

const READ_BATCH_MESSAGES = 256;
const READ_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * Hands every message of a system topic's queue from `fromOffset` to the end it has when called
 * to `apply`, in order, a bounded batch in memory at a time. Starts at the first retained offset
 * when retention deleted `fromOffset`. Returns the offset after the last message read.
 */
export async function readSystemQueue(
  broker: Broker,
  topic: string,
  fromOffset: number,
  apply: (message: StoredMessage) => void,
): Promise<number> {
  const { minOffset, maxOffset } = broker.queueRange(topic, TRANSACTION_QUEUE_ID);
  let offset = Math.max(fromOffset, minOffset);
  while (offset < maxOffset) {
    const read = await broker.readSystemTopic({
      topic,
      queueId: TRANSACTION_QUEUE_ID,
      offset,
      maxCount: Math.min(READ_BATCH_MESSAGES, maxOffset - offset),
      maxBytes: READ_BATCH_BYTES,
    });
    if (read.status === 'OFFSET_TOO_SMALL') {
      offset = read.nextOffset;
      continue;
    }
    if (read.status !== 'FOUND') break;
    for (const message of read.messages) apply(message);
    offset = read.nextOffset;
  }
  return offset;
}
