import type { WireMessage } from '@tessera/wire';
import type { Message } from './message';

export function toWireMessage(message: Message, queueId: number | undefined, bornTimestamp: number): WireMessage {
  return {
    topic: message.topic,
    queueId,
    body: typeof message.body === 'string' ? Buffer.from(message.body, 'utf8') : message.body,
    tag: message.tag,
    keys: message.keys,
    properties: message.properties,
    bornTimestamp,
    flag: 0,
    reconsumeTimes: 0,
  };
}
