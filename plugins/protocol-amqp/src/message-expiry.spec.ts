import type { StoredMessage } from '@tessera/kernel';
import { AmqpProperties } from './amqp-properties';
import { expiryOf } from './message-expiry';

const stored = (properties: Record<string, string>) => ({ storeTimestamp: 1_000, properties }) as unknown as StoredMessage;

describe('expiryOf', () => {
  it('counts a ttl from when the broker stored the message, takes an absolute expiry as is, and the earlier of both', () => {
    expect(expiryOf(stored({}))).toBeUndefined();
    expect(expiryOf(stored({ [AmqpProperties.TTL]: '500' }))).toBe(1_500);
    expect(expiryOf(stored({ [AmqpProperties.ABSOLUTE_EXPIRY_TIME]: '1200' }))).toBe(1_200);
    expect(expiryOf(stored({ [AmqpProperties.TTL]: '500', [AmqpProperties.ABSOLUTE_EXPIRY_TIME]: '1200' }))).toBe(1_200);
    expect(expiryOf(stored({ [AmqpProperties.TTL]: '100', [AmqpProperties.ABSOLUTE_EXPIRY_TIME]: '1200' }))).toBe(1_100);
  });

  it('ignores a value that is not a number', () => {
    expect(expiryOf(stored({ [AmqpProperties.TTL]: 'soon' }))).toBeUndefined();
    expect(expiryOf(stored({ [AmqpProperties.TTL]: '100', [AmqpProperties.ABSOLUTE_EXPIRY_TIME]: 'never' }))).toBe(1_100);
  });
});
