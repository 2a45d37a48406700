import { SystemProperties, type StoredMessage } from '@tessera/kernel';

/** A half message with the topic and queue its producer sent it to; id, offset and store time stay the half's. */
export function asSentByProducer(half: StoredMessage): StoredMessage {
  return {
    ...half,
    topic: half.properties[SystemProperties.REAL_TOPIC] ?? half.topic,
    queueId: Number(half.properties[SystemProperties.REAL_QUEUE_ID] ?? half.queueId),
  };
}
