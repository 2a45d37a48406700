import { AverageAllocationStrategy } from './average-allocation-strategy';
import { queuesByMember } from './queues-by-member';
import { StickyAllocationStrategy } from './sticky-allocation-strategy';

describe('StickyAllocationStrategy', () => {
  const strategy = new StickyAllocationStrategy();
  const queueIds = Array.from({ length: 8 }, (_, i) => i);
  const allocate = (members: string[], previous: ReadonlyMap<number, string>, ids = queueIds) =>
    strategy.allocate({ group: 'g', topic: 't', queueIds: ids, members, previous });
  const movedBetween = (before: ReadonlyMap<number, string>, after: ReadonlyMap<number, string>) =>
    queueIds.filter((q) => before.get(q) !== after.get(q));
  const shares = (allocation: ReadonlyMap<number, string>) => Object.values(queuesByMember(allocation)).map((q) => q.length);

  it('starts like the average strategy', () => {
    const input = { group: 'g', topic: 't', queueIds, members: ['a', 'b', 'c'], previous: new Map<number, string>() };
    expect(strategy.allocate(input)).toEqual(new AverageAllocationStrategy().allocate(input));
  });

  it('moves only the joining member’s share when a member joins', () => {
    const before = allocate(['a', 'b', 'c'], new Map());
    const after = allocate(['a', 'b', 'c', 'd'], before);
    expect(shares(after)).toEqual([2, 2, 2, 2]);
    const moved = movedBetween(before, after);
    expect(moved).toHaveLength(2);
    for (const queueId of moved) expect(after.get(queueId)).toBe('d');
  });

  it('moves only the leaving member’s queues when a member leaves', () => {
    const before = allocate(['a', 'b', 'c', 'd'], allocate(['a', 'b', 'c'], new Map()));
    const after = allocate(['a', 'b', 'd'], before);
    expect(shares(after).sort()).toEqual([2, 3, 3]);
    expect(movedBetween(before, after).sort()).toEqual(queueIds.filter((q) => before.get(q) === 'c'));
  });

  it('keeps the larger shares with the members that already hold the most', () => {
    const previous = new Map([
      [0, 'a'],
      [1, 'b'],
      [2, 'b'],
      [3, 'b'],
      [4, 'c'],
      [5, 'c'],
      [6, 'c'],
      [7, 'x'],
    ]);
    const after = allocate(['a', 'b', 'c'], previous);
    expect(queuesByMember(after)).toEqual({ a: [0, 7], b: [1, 2, 3], c: [4, 5, 6] });
  });

  it('ignores previous owners of queues that no longer exist', () => {
    const before = allocate(['a', 'b'], new Map());
    const after = allocate(['a', 'b'], before, [0, 1, 2, 3]);
    expect(queuesByMember(after)).toEqual({ a: [0, 1], b: [2, 3] });
  });
});
