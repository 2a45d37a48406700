export const RETRY_TOPIC_PREFIX = '%RETRY%';
export const DEAD_LETTER_TOPIC_PREFIX = '%DLQ%';

/** The topic a group's failed messages wait in for their next delivery. */
export function retryTopicOf(group: string): string {
  return RETRY_TOPIC_PREFIX + group;
}

/** The topic a group's messages land in once they failed past maxReconsumeTimes. */
export function deadLetterTopicOf(group: string): string {
  return DEAD_LETTER_TOPIC_PREFIX + group;
}
