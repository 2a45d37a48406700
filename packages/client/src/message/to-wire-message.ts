import type { WireMessage } from '@tessera/wire';
import { TesseraClientError } from '../errors/tessera-client-error';
import type { Message } from './message';

/** The broker's delay properties (the kernel's SystemProperties; the SDK does not import the broker). */
const DELAY_LEVEL = '__DELAY_LEVEL';
const DELIVER_AT = '__DELIVER_AT';
const DELAY_MS = '__DELAY_MS';

export function toWireMessage(message: Message, queueId: number | undefined, bornTimestamp: number): WireMessage {
  return {
    topic: message.topic,
    queueId,
    body: typeof message.body === 'string' ? Buffer.from(message.body, 'utf8') : message.body,
    tag: message.tag,
    keys: message.keys,
    properties: propertiesOf(message),
    bornTimestamp,
    flag: 0,
    reconsumeTimes: 0,
  };
}

/** The message's properties, with its delay request added as the property the broker reads. */
function propertiesOf(message: Message): Record<string, string> | undefined {
  const { delayLevel, deliverAt, delayMs } = message;
  if (delayLevel === undefined && deliverAt === undefined && delayMs === undefined) return message.properties;
  if ((delayLevel !== undefined ? 1 : 0) + (deliverAt !== undefined ? 1 : 0) + (delayMs !== undefined ? 1 : 0) > 1) {
    throw new TesseraClientError('BAD_ARGUMENT', 'a message takes at most one of delayLevel, deliverAt and delayMs');
  }
  if (delayLevel !== undefined) return { ...message.properties, [DELAY_LEVEL]: String(delayLevel) };
  if (delayMs !== undefined) return { ...message.properties, [DELAY_MS]: String(delayMs) };
  return { ...message.properties, [DELIVER_AT]: String(deliverAt instanceof Date ? deliverAt.getTime() : deliverAt) };
}
