import { isBalancedOwnership, type OwnedQueue } from './is-balanced-ownership';

const ownedBy = (...owners: Array<string | undefined>): OwnedQueue[] => owners.map((owner, queueId) => ({ queueId, owner }));

describe('isBalancedOwnership', () => {
  it('holds when every queue is owned by a live member and the shares differ by at most one', () => {
    expect(isBalancedOwnership(ownedBy('a', 'a', 'a', 'b', 'b', 'b', 'c', 'c'), 8, ['a', 'b', 'c'])).toBe(true);
  });

  it('fails while a queue has no owner, or a departed member still owns one', () => {
    expect(isBalancedOwnership(ownedBy('a', 'a', 'a', 'b', 'b', 'b', 'c', undefined), 8, ['a', 'b', 'c'])).toBe(false);
    expect(isBalancedOwnership(ownedBy('a', 'a', 'a', 'a', 'b', 'b', 'b', 'gone'), 8, ['a', 'b'])).toBe(false);
  });

  it('fails until a newcomer owns its share', () => {
    expect(isBalancedOwnership(ownedBy('a', 'a', 'a', 'b', 'b', 'b', 'c', 'c'), 8, ['a', 'b', 'c', 'd'])).toBe(false);
    expect(isBalancedOwnership(ownedBy('a', 'a', 'b', 'b', 'c', 'c', 'd', 'd'), 8, ['a', 'b', 'c', 'd'])).toBe(true);
  });

  it('fails when the broker reports fewer queues than the topic has', () => {
    expect(isBalancedOwnership(ownedBy('a', 'a', 'a', 'a'), 8, ['a'])).toBe(false);
  });
});
