import { ErrorCode } from '../errors/error-code';
import { TesseraError } from '../errors/tessera-error';
import { canRead, type TopicConfig } from './topic-config';
import type { TopicRegistry } from './topic-registry';

/** The topic a read names, if it may be read; TOPIC_NOT_FOUND or NO_PERMISSION otherwise. */
export function readableTopic(topics: TopicRegistry, name: string): TopicConfig {
  const topic = topics.get(name);
  if (!topic) throw new TesseraError(ErrorCode.TOPIC_NOT_FOUND, `topic "${name}" does not exist`);
  if (!canRead(topic)) throw new TesseraError(ErrorCode.NO_PERMISSION, `topic "${name}" is not readable`);
  return topic;
}

/** INVALID_QUEUE unless `queueId` is one of the topic's read queues. */
export function requireReadQueue(topic: TopicConfig, queueId: number): void {
  if (Number.isInteger(queueId) && queueId >= 0 && queueId < topic.readQueueCount) return;
  throw new TesseraError(ErrorCode.INVALID_QUEUE, `queue ${queueId} of topic "${topic.name}" does not exist (read queues: ${topic.readQueueCount})`);
}
