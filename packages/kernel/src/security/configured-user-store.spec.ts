import { ConfiguredUserStore } from './configured-user-store';
import { permits, topicPatternMatches } from './user-permissions';

describe('ConfiguredUserStore', () => {
  const store = new ConfiguredUserStore({
    users: [
      { username: 'alice', password: 'secret' },
      { username: 'bob', password: 'hunter2', permissions: { produce: ['orders'], consume: ['orders.*'] } },
    ],
    anonymousPermissions: { produce: [], consume: ['public'] },
  });

  it('accepts the right password only', () => {
    expect(store.authenticate('alice', 'secret')).toBe(true);
    expect(store.authenticate('alice', Buffer.from('secret'))).toBe(true);
    expect(store.authenticate('alice', 'Secret')).toBe(false);
    expect(store.authenticate('alice', '')).toBe(false);
    expect(store.authenticate('carol', 'secret')).toBe(false);
    expect(store.authenticate('carol', '')).toBe(false);
  });

  it('gives each user its permissions, anonymous clients theirs, and no restriction when none are set', () => {
    expect(store.permissionsOf('alice')).toBeUndefined();
    expect(permits(store.permissionsOf('bob'), 'produce', 'orders')).toBe(true);
    expect(permits(store.permissionsOf('bob'), 'produce', 'payments')).toBe(false);
    expect(permits(store.permissionsOf('bob'), 'consume', 'orders.eu')).toBe(true);
    expect(permits(store.permissionsOf(undefined), 'consume', 'public')).toBe(true);
    expect(permits(store.permissionsOf(undefined), 'produce', 'public')).toBe(false);
  });
});

describe('topicPatternMatches', () => {
  it.each([
    ['orders', 'orders', true],
    ['orders', 'orders2', false],
    ['*', 'anything', true],
    ['orders.*', 'orders.eu', true],
    ['orders.*', 'orders', false],
    ['*.eu', 'orders.eu', true],
    ['a*b*c', 'a-x-b-y-c', true],
    ['a*b*c', 'a-c-b', false],
    ['ab*ba', 'aba', false],
  ])('%s against %s → %s', (pattern, topic, expected) => {
    expect(topicPatternMatches(pattern, topic)).toBe(expected);
  });
});
