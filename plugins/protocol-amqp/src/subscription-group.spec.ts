import { TOPIC_NAME_PATTERN } from '@tessera/kernel';
import { durableSubscriptionGroupOf, queueGroupOf, temporarySubscriptionGroupOf, isTemporarySubscriptionGroup } from './subscription-group';

describe('subscription groups', () => {
  it('names one group per queue address', () => {
    expect(queueGroupOf('orders')).toBe('%AMQP%orders');
  });

  it('names a durable subscription by container id and link name, escaping what a group cannot hold', () => {
    expect(durableSubscriptionGroupOf('app-1', 'prices')).toBe('%AMQP-SUB%app-1.prices');
    const escaped = durableSubscriptionGroupOf('host:42', 'sub.1 é');
    expect(escaped).toBe('%AMQP-SUB%host|3A42.sub|2E1|20|C3|A9');
    expect(TOPIC_NAME_PATTERN.test(escaped)).toBe(true);
    expect(durableSubscriptionGroupOf('a', 'b.c')).not.toBe(durableSubscriptionGroupOf('a.b', 'c'));
  });

  it('hashes names too long for a dead-letter topic, the same way each time', () => {
    const long = durableSubscriptionGroupOf('c'.repeat(100), 'link');
    expect(long.length).toBeLessThanOrEqual(120);
    expect(long).toBe(durableSubscriptionGroupOf('c'.repeat(100), 'link'));
    expect(long).not.toBe(durableSubscriptionGroupOf('c'.repeat(100), 'link2'));
  });

  it('names temporary subscriptions apart from every durable one', () => {
    expect(temporarySubscriptionGroupOf('abc')).toBe('%AMQP-SUB%|tmp.abc');
    expect(isTemporarySubscriptionGroup(temporarySubscriptionGroupOf('abc'))).toBe(true);
    expect(isTemporarySubscriptionGroup(durableSubscriptionGroupOf('tmp', 'abc'))).toBe(false);
    expect(isTemporarySubscriptionGroup(durableSubscriptionGroupOf('|tmp', 'abc'))).toBe(false);
  });
});
