import { DelayTopic } from './delay-topic';
import { parkedDueTime } from './parked-due-time';

/** When the timer of a parked message fires: when it is to be parked again, else when it is due. Undefined if unreadable. */
export function timerFireTime(properties: Readonly<Record<string, string>>): number | undefined {
  const reparkAt = properties[DelayTopic.REPARK_AT];
  if (reparkAt === undefined) return parkedDueTime(properties);
  const time = Number(reparkAt);
  return Number.isSafeInteger(time) && time >= 0 ? time : undefined;
}
