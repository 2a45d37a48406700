export type TopicPermission = 'rw' | 'r' | 'w' | 'none';

export interface TopicConfig {
  name: string;
  /** Queues producers write to: 0 … writeQueueCount-1. */
  writeQueueCount: number;
  /** Queues consumers are assigned: 0 … readQueueCount-1. */
  readQueueCount: number;
  permission: TopicPermission;
  /** Topics the broker or a feature plugin owns (%RETRY%, %DLQ%, half, delay). */
  system: boolean;
  createdAt: number;
}

export const MAX_TOPIC_NAME_LENGTH = 127;
export const TOPIC_NAME_PATTERN = /^[%|A-Za-z0-9_.-]+$/;
export const MAX_QUEUE_COUNT = 1024;
/** Prefix of the kernel's own topics (e.g. the POP journal): never registered, never written by clients. */
export const KERNEL_TOPIC_PREFIX = '%SYS%';

export function canRead(topic: TopicConfig): boolean {
  return topic.permission === 'rw' || topic.permission === 'r';
}

export function canWrite(topic: TopicConfig): boolean {
  return topic.permission === 'rw' || topic.permission === 'w';
}
