import { TopicNotFoundError, type PullConsumer, type ReceivedMessage } from '@tessera/client';
import { deadLetterTopicOf } from '@tessera/feature-retry';

/** The queue every dead-letter topic has (the retry plugin creates it with one). */
const DEAD_LETTER_QUEUE = 0;

/**
 * A group's dead letters, oldest first, a page at a time, up to the end the queue had when this
 * started (so a resend loop never chases new arrivals). None when the group has no dead-letter topic.
 */
export async function* deadLetterPages(consumer: PullConsumer, group: string, pageSize: number): AsyncGenerator<ReceivedMessage[]> {
  const topic = deadLetterTopicOf(group);
  const range = await consumer.queueRange(topic, DEAD_LETTER_QUEUE).catch((error: unknown) => {
    if (error instanceof TopicNotFoundError) return undefined;
    throw error;
  });
  if (!range) return;
  let offset = range.minOffset;
  while (offset < range.maxOffset) {
    const result = await consumer.pull({ topic, queueId: DEAD_LETTER_QUEUE, offset, maxCount: Math.min(pageSize, range.maxOffset - offset) });
    if (result.status === 'OFFSET_TOO_SMALL' && result.minOffset > offset) {
      offset = result.minOffset;
      continue;
    }
    if (result.status !== 'FOUND') return;
    yield result.messages;
    offset = result.nextOffset;
  }
}
