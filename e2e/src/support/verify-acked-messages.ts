import type { PullConsumer, ReceivedMessage } from '@tessera/client';
import type { AckedMessage } from './continuous-producers';
import { readWholeQueue } from './read-whole-queue';
import { sha256 } from './sha256';

/**
 * Reads every queue that acked messages went to and lists what is wrong: an acked message
 * missing or altered, or a queue whose offsets are out of order. An empty list means all is well.
 */
export async function verifyAckedMessages(consumer: PullConsumer, topic: string, acked: readonly AckedMessage[]): Promise<string[]> {
  const problems: string[] = [];
  const queueIds = [...new Set(acked.map((m) => m.queueId))].sort((a, b) => a - b);
  const queues = new Map<number, Map<number, ReceivedMessage>>();
  for (const queueId of queueIds) {
    const messages = await readWholeQueue(consumer, topic, queueId);
    messages.forEach((message, index) => {
      if (index > 0 && message.queueOffset !== messages[index - 1]!.queueOffset + 1) {
        problems.push(`queue ${queueId}: offset ${message.queueOffset} follows ${messages[index - 1]!.queueOffset}`);
      }
    });
    queues.set(queueId, new Map(messages.map((m) => [m.queueOffset, m])));
  }
  for (const message of acked) {
    const found = queues.get(message.queueId)?.get(message.queueOffset);
    if (!found) problems.push(`acked ${message.msgId} (queue ${message.queueId} offset ${message.queueOffset}) is missing`);
    else if (sha256(found.body) !== message.hash) problems.push(`acked ${message.msgId} came back altered`);
  }
  return problems;
}
