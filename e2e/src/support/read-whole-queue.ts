import type { PullConsumer, ReceivedMessage } from '@tessera/client';

/** Every message of one queue, from its first retained offset to its end, in pull order. */
export async function readWholeQueue(consumer: PullConsumer, topic: string, queueId: number): Promise<ReceivedMessage[]> {
  const messages: ReceivedMessage[] = [];
  const range = await consumer.queueRange(topic, queueId);
  let offset = range.minOffset;
  // Bounded: each pull advances, and the queue is not being written.
  for (let pulls = 0; offset < range.maxOffset && pulls < 1_000_000; pulls++) {
    const result = await consumer.pull({ topic, queueId, offset, maxCount: 256, maxWaitMs: 0 });
    if (result.status !== 'FOUND') break;
    messages.push(...result.messages);
    offset = result.nextOffset;
  }
  return messages;
}
