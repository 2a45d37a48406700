import type { ReceivedMessage } from '@tessera/client';

/** Every field of a message, one per line; properties sorted by name; the body as a JSON string of its UTF-8. */
export function formatMessageDetails(message: ReceivedMessage): string[] {
  return [
    `id: ${message.msgId}`,
    `topic: ${message.topic}`,
    `queue: ${message.queueId}`,
    `offset: ${message.queueOffset}`,
    `tag: ${message.tag ?? '-'}`,
    `keys: ${message.keys.join(',') || '-'}`,
    `reconsumeTimes: ${message.reconsumeTimes}`,
    `born: ${new Date(message.bornTimestamp).toISOString()}`,
    `stored: ${new Date(message.storeTimestamp).toISOString()}`,
    ...Object.keys(message.properties)
      .sort()
      .map((name) => `property ${name}=${message.properties[name]}`),
    `body: ${JSON.stringify(message.body.toString('utf8'))}`,
  ];
}
