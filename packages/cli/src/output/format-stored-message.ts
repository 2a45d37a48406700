import type { ReceivedMessage } from '@tessera/client';
import { printableBody } from './printable-body';

/** `message get`: one field per line (or one JSON object), the body as text if printable, else base64. */
export function formatStoredMessage(message: ReceivedMessage, json: boolean): string {
  const body = printableBody(message.body);
  if (json) {
    return JSON.stringify({
      msgId: message.msgId,
      topic: message.topic,
      queueId: message.queueId,
      queueOffset: message.queueOffset,
      commitLogOffset: message.commitLogOffset,
      storeTime: new Date(message.storeTimestamp).toISOString(),
      bornTime: new Date(message.bornTimestamp).toISOString(),
      tag: message.tag ?? null,
      keys: message.keys,
      properties: message.properties,
      reconsumeTimes: message.reconsumeTimes,
      flag: message.flag,
      bodyEncoding: body.encoding,
      body: body.text,
    });
  }
  const fields: Array<[string, string]> = [
    ['msgId', message.msgId],
    ['topic', message.topic],
    ['queue', String(message.queueId)],
    ['offset', String(message.queueOffset)],
    ['stored', new Date(message.storeTimestamp).toISOString()],
    ['born', new Date(message.bornTimestamp).toISOString()],
    ['tag', message.tag ?? ''],
    ['keys', message.keys.join(',')],
    ['properties', Object.entries(message.properties).map(([name, value]) => `${name}=${value}`).join(', ')],
    ['reconsumes', String(message.reconsumeTimes)],
    [body.encoding === 'utf8' ? 'body' : 'body (base64)', body.text],
  ];
  const width = Math.max(...fields.map(([name]) => name.length)) + 2;
  return fields.map(([name, value]) => `${`${name}:`.padEnd(width)}${value}`).join('\n');
}
