import type { ReceivedMessage } from '@tessera/client';

/** One line per message for `consume --print`: tab-separated fields, the body as a JSON string. */
export function formatReceivedMessage(message: ReceivedMessage, json: boolean): string {
  const body = message.body.toString('utf8');
  if (json) {
    return JSON.stringify({
      topic: message.topic,
      queueId: message.queueId,
      queueOffset: message.queueOffset,
      msgId: message.msgId,
      tag: message.tag ?? null,
      keys: message.keys,
      properties: message.properties,
      body,
    });
  }
  return [
    message.topic,
    `queue=${message.queueId}`,
    `offset=${message.queueOffset}`,
    `tag=${message.tag ?? ''}`,
    `keys=${message.keys.join(',')}`,
    `body=${JSON.stringify(body)}`,
  ].join('\t');
}
