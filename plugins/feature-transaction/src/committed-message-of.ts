import { SystemProperties, type MessageInput, type StoredMessage } from '@tessera/kernel';

/**
 * The message a committed half becomes on its real topic and queue: the producer's fields, the
 * half markers dropped, the half's id kept in TRANSACTION_HALF_MSG_ID.
 */
export function committedMessageOf(half: StoredMessage): MessageInput {
  const {
    [SystemProperties.TRANSACTION_PREPARED]: _prepared,
    [SystemProperties.REAL_TOPIC]: realTopic,
    [SystemProperties.REAL_QUEUE_ID]: realQueueId,
    ...properties
  } = half.properties;
  return {
    topic: realTopic!,
    queueId: Number(realQueueId),
    body: half.body,
    tag: half.tag,
    keys: half.keys,
    properties: { ...properties, [SystemProperties.TRANSACTION_HALF_MSG_ID]: half.msgId },
    bornTimestamp: half.bornTimestamp,
    flag: half.flag,
    reconsumeTimes: half.reconsumeTimes,
  };
}
