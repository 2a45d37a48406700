import type { WireStoredMessage } from '@tessera/wire';
import type { ReceivedMessage } from './received-message';

export function toReceivedMessage(stored: WireStoredMessage): ReceivedMessage {
  const message: ReceivedMessage = {
    msgId: stored.msgId,
    topic: stored.topic,
    queueId: stored.queueId,
    queueOffset: stored.queueOffset,
    body: stored.body,
    keys: stored.keys as string[],
    properties: stored.properties as Record<string, string>,
    bornTimestamp: stored.bornTimestamp,
    storeTimestamp: stored.storeTimestamp,
    reconsumeTimes: stored.reconsumeTimes,
  };
  if (stored.tag !== undefined) message.tag = stored.tag;
  return message;
}
