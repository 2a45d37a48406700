import type { AppendMessage, StoredMessage } from '@tessera/kernel';
import { DelayTopic } from './delay-topic';
import { parkedIdOf } from './parked-id-of';

/**
 * A fresh copy of a parked message that is not due yet, to append to the delay topic so the
 * scheduled message outlives the retention of the log segment holding the old copy.
 */
export function reparkedMessageOf(parked: StoredMessage, dueAt: number, now: number, rollAfterMs: number): AppendMessage {
  const parkedId = parkedIdOf(parked);
  const properties: Record<string, string> = { ...parked.properties, [DelayTopic.PARKED_ID]: parkedId };
  if (dueAt - now > rollAfterMs) properties[DelayTopic.REPARK_AT] = String(now + rollAfterMs);
  else delete properties[DelayTopic.REPARK_AT];
  const key = DelayTopic.deliveryKey(parkedId);
  return {
    topic: DelayTopic.NAME,
    queueId: DelayTopic.QUEUE_ID,
    body: parked.body,
    tag: parked.tag,
    keys: parked.keys.includes(key) ? parked.keys : [...parked.keys, key],
    properties,
    bornTimestamp: parked.bornTimestamp,
    flag: parked.flag,
    reconsumeTimes: parked.reconsumeTimes,
  };
}
