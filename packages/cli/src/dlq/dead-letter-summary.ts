import type { ReceivedMessage } from '@tessera/client';
import { SystemProperties } from '@tessera/kernel';

/** What `dlq list` shows of a dead letter. */
export interface DeadLetterSummary {
  msgId: string;
  /** The topic the message was first sent to. */
  topic: string | null;
  /** The id of the message as first sent. */
  originMsgId: string | null;
  failures: number | null;
  reason: string | null;
  storeTimestamp: number;
}

export function deadLetterSummaryOf(message: ReceivedMessage): DeadLetterSummary {
  const failures = message.properties[SystemProperties.FAILURE_COUNT];
  return {
    msgId: message.msgId,
    topic: message.properties[SystemProperties.REAL_TOPIC] ?? null,
    originMsgId: message.properties[SystemProperties.ORIGIN_MSG_ID] ?? null,
    failures: failures === undefined ? null : Number(failures),
    reason: message.properties[SystemProperties.FAILURE_REASON] ?? null,
    storeTimestamp: message.storeTimestamp,
  };
}
