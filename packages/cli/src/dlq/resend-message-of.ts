import type { Message, ReceivedMessage } from '@tessera/client';
import { SystemProperties } from '@tessera/kernel';
import { withoutRedeliveryMarkers } from '@tessera/feature-retry';

/** A dead letter as its producer sent it, for its original topic: the retry, dead-letter and scheduling markers removed. */
export function resendMessageOf(deadLetter: ReceivedMessage): Message {
  const topic = deadLetter.properties[SystemProperties.REAL_TOPIC];
  if (topic === undefined) throw new Error(`message ${deadLetter.msgId} does not say which topic it came from: it cannot be resent`);
  const message: Message = { topic, body: deadLetter.body, keys: [...deadLetter.keys], properties: withoutRedeliveryMarkers(deadLetter.properties) };
  if (deadLetter.tag !== undefined) message.tag = deadLetter.tag;
  return message;
}
