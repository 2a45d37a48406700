/** FNV-1a over the topic's UTF-16 code units: the same topic always picks the same queue, on every broker. */
export function stableTopicHash(topic: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) {
    hash ^= topic.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
