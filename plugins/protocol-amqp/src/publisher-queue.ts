/**
 * The queue of a topic one publishing link writes to: always the same one (FNV-1a of the
 * link's name within its connection), so a consumer receives one publisher's messages in the
 * order they were sent, as AMQP clients expect of a queue.
 */
export function publisherQueueOf(linkKey: string, writeQueueCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < linkKey.length; i++) {
    hash ^= linkKey.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % writeQueueCount;
}
