import { ConsistentHashAllocationStrategy } from './consistent-hash-allocation-strategy';

describe('ConsistentHashAllocationStrategy', () => {
  const strategy = new ConsistentHashAllocationStrategy();
  const queueIds = Array.from({ length: 64 }, (_, i) => i);
  const members = ['c1', 'c2', 'c3', 'c4'];
  const allocate = (forMembers: string[]) =>
    strategy.allocate({ group: 'g', topic: 'orders', queueIds, members: forMembers, previous: new Map() });

  it('allocates every queue to a member, the same way each time, and spreads them over all members', () => {
    const allocation = allocate(members);
    expect([...allocation.keys()].sort((a, b) => a - b)).toEqual(queueIds);
    expect(new Set(allocation.values())).toEqual(new Set(members));
    expect(allocate(members)).toEqual(allocation);
  });

  it('moves queues only to a joining member', () => {
    const before = allocate(members);
    const after = allocate([...members, 'c5']);
    const moved = queueIds.filter((q) => before.get(q) !== after.get(q));
    expect(moved.length).toBeGreaterThan(0);
    expect(moved.length).toBeLessThan(queueIds.length / 2);
    for (const queueId of moved) expect(after.get(queueId)).toBe('c5');
  });

  it('moves only the queues of a leaving member', () => {
    const before = allocate(members);
    const after = allocate(['c1', 'c2', 'c4']);
    for (const queueId of queueIds) {
      if (before.get(queueId) !== 'c3') expect(after.get(queueId)).toBe(before.get(queueId));
      else expect(after.get(queueId)).not.toBe('c3');
    }
  });
});
