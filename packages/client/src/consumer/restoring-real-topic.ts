import type { ReceivedMessage } from '../message/received-message';
import type { MessageListener } from './push-consumer-options';

/** The property a retry copy keeps its original topic in (the kernel's SystemProperties.REAL_TOPIC). */
const REAL_TOPIC_PROPERTY = '__REAL_TOPIC';

/** The listener, handed messages of the group's retry topic under the topic they were first sent to. */
export function restoringRealTopic(listener: MessageListener): MessageListener {
  return (messages, context) => listener(messages.map(withRealTopic), context);
}

function withRealTopic(message: ReceivedMessage): ReceivedMessage {
  const realTopic = message.properties[REAL_TOPIC_PROPERTY];
  return realTopic === undefined ? message : { ...message, topic: realTopic };
}
