import type { StoredMessage } from '@tessera/kernel';
import { AmqpProperties } from './amqp-properties';

/**
 * When a stored AMQP message expires, ms since epoch, or undefined if never: its header `ttl`
 * counted from when the broker stored it, or its properties' `absolute-expiry-time`, whichever
 * comes first (AMQP 1.0, 3.2.1 and 3.2.4).
 */
export function expiryOf(message: StoredMessage): number | undefined {
  const ttl = message.properties[AmqpProperties.TTL];
  const absolute = message.properties[AmqpProperties.ABSOLUTE_EXPIRY_TIME];
  const fromTtl = ttl === undefined ? undefined : message.storeTimestamp + Number(ttl);
  const at = absolute === undefined ? undefined : Number(absolute);
  if (fromTtl === undefined || Number.isNaN(fromTtl)) return at === undefined || Number.isNaN(at) ? undefined : at;
  return at === undefined || Number.isNaN(at) ? fromTtl : Math.min(fromTtl, at);
}
