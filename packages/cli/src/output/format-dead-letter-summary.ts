import type { DeadLetterSummary } from '../dlq/dead-letter-summary';

/** One `dlq list` line: id, original topic, origin id, failures, last reason (a JSON string), store time. */
export function formatDeadLetterSummary(summary: DeadLetterSummary): string {
  return [
    summary.msgId,
    `topic=${summary.topic ?? '-'}`,
    `origin=${summary.originMsgId ?? '-'}`,
    `failures=${summary.failures ?? '-'}`,
    `reason=${JSON.stringify(summary.reason ?? '')}`,
    `stored=${new Date(summary.storeTimestamp).toISOString()}`,
  ].join('\t');
}
