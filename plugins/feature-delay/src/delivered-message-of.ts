import { SystemProperties, type MessageInput, type StoredMessage } from '@tessera/kernel';
import { DelayTopic } from './delay-topic';
import { parkedIdOf } from './parked-id-of';

const { REAL_TOPIC, REAL_QUEUE_ID } = SystemProperties;

/**
 * The message to write to the real topic for a parked one that fell due: its own body, tag,
 * keys and properties, this plugin's properties removed, plus the delivery key. It goes to the
 * queue it was meant for while the topic still has it (`writeQueueCount`), else the kernel picks.
 */
export function deliveredMessageOf(parked: StoredMessage, writeQueueCount: number | undefined): MessageInput {
  const properties: Record<string, string> = {};
  for (const name in parked.properties) {
    const value = parked.properties[name]!;
    if (name === DelayTopic.OUTER_REAL_TOPIC) properties[REAL_TOPIC] = value;
    else if (name === DelayTopic.OUTER_REAL_QUEUE_ID) properties[REAL_QUEUE_ID] = value;
    else if (!PARKING_PROPERTIES.has(name)) properties[name] = value;
  }
  const queueId = Number(parked.properties[REAL_QUEUE_ID]);
  const key = DelayTopic.deliveryKey(parkedIdOf(parked));
  return {
    topic: parked.properties[REAL_TOPIC]!,
    queueId: Number.isInteger(queueId) && queueId >= 0 && queueId < (writeQueueCount ?? 0) ? queueId : undefined,
    body: parked.body,
    tag: parked.tag,
    keys: parked.keys.includes(key) ? parked.keys : [...parked.keys, key],
    properties,
    bornTimestamp: parked.bornTimestamp,
    flag: parked.flag,
    reconsumeTimes: parked.reconsumeTimes,
  };
}

const PARKING_PROPERTIES = new Set<string>([REAL_TOPIC, REAL_QUEUE_ID, DelayTopic.DUE_AT, DelayTopic.REPARK_AT, DelayTopic.PARKED_ID]);
