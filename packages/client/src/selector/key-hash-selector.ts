import type { QueueSelector } from './queue-selector';

/**
 * Same key → same queue (while the queue count stays the same), so messages sharing a key keep
 * their order. The key is the sharding key, else the message's first key; keyless messages go to 0.
 */
export const keyHashSelector: QueueSelector = (queueCount, message, shardingKey) => {
  const key = shardingKey ?? message.keys?.[0];
  if (key === undefined) return 0;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % queueCount;
};
