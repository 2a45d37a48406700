import { AmqpAddressError, parseAmqpAddress } from './amqp-address';

const prefixes = { queuePrefixes: ['/queues/', 'queue://'], topicPrefixes: ['topic://', '/topics/'] };

describe('parseAmqpAddress', () => {
  it.each([
    ['orders', { kind: 'queue', topic: 'orders' }],
    ['/queues/orders', { kind: 'queue', topic: 'orders' }],
    ['queue://orders.eu', { kind: 'queue', topic: 'orders.eu' }],
    ['topic://prices', { kind: 'topic', topic: 'prices' }],
    ['/topics/prices', { kind: 'topic', topic: 'prices' }],
    ['%AMQP-TMP%abc', { kind: 'queue', topic: '%AMQP-TMP%abc' }],
  ])('%s', (address, expected) => {
    expect(parseAmqpAddress(address, prefixes)).toEqual(expected);
  });

  it('uses the configured prefixes', () => {
    expect(parseAmqpAddress('mc:prices', { queuePrefixes: [], topicPrefixes: ['mc:'] })).toEqual({ kind: 'topic', topic: 'prices' });
    expect(() => parseAmqpAddress('topic://prices', { queuePrefixes: [], topicPrefixes: ['mc:'] })).toThrow(AmqpAddressError);
  });

  it.each(['', '/queues/', 'topic://', 'a b', 'orders/eu', 'x'.repeat(128)])('refuses %j with a message naming the address', (address) => {
    expect(() => parseAmqpAddress(address, prefixes)).toThrow(AmqpAddressError);
    expect(() => parseAmqpAddress(address, prefixes)).toThrow(/does not name a topic/);
  });
});
