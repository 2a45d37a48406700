import { DelayTopic } from './delay-topic';

/** When a parked message is due (ms since epoch); undefined if the property is missing or unreadable. */
export function parkedDueTime(properties: Readonly<Record<string, string>>): number | undefined {
  const text = properties[DelayTopic.DUE_AT];
  const time = text === undefined ? Number.NaN : Number(text);
  return Number.isSafeInteger(time) && time >= 0 ? time : undefined;
}
