import { SystemProperties, type AppendMessage } from '@tessera/kernel';
import { DelayTopic } from './delay-topic';

const { DELAY_LEVEL, DELIVER_AT, DELAY_MS, REAL_TOPIC, REAL_QUEUE_ID } = SystemProperties;

/**
 * Rewrites a message that asks for a delay, in place, into its parked form: on the delay topic,
 * with where it belongs and when it is due in its properties, the delay request removed. One
 * due later than `rollAfterMs` from `now` is marked to be parked again at now + rollAfterMs.
 */
export function parkMessage(message: AppendMessage, dueAt: number, now: number, rollAfterMs: number): void {
  const asked = message.properties ?? {};
  const properties: Record<string, string> = {};
  for (const name in asked) {
    if (name === DELAY_LEVEL || name === DELIVER_AT || name === DELAY_MS) continue;
    const value = asked[name]!;
    if (name === REAL_TOPIC) properties[DelayTopic.OUTER_REAL_TOPIC] = value;
    else if (name === REAL_QUEUE_ID) properties[DelayTopic.OUTER_REAL_QUEUE_ID] = value;
    else properties[name] = value;
  }
  properties[REAL_TOPIC] = message.topic;
  properties[REAL_QUEUE_ID] = String(message.queueId);
  properties[DelayTopic.DUE_AT] = String(dueAt);
  if (dueAt - now > rollAfterMs) properties[DelayTopic.REPARK_AT] = String(now + rollAfterMs);
  message.properties = properties;
  message.topic = DelayTopic.NAME;
  message.queueId = DelayTopic.QUEUE_ID;
}
