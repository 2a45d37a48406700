import { allocateQueuesAveragely } from './allocate-queues-averagely';

describe('allocateQueuesAveragely', () => {
  const queues = [0, 1, 2, 3, 4, 5, 6, 7];

  it('gives every queue to exactly one member', () => {
    const members = ['a', 'b', 'c'];
    const assigned = members.map((m) => allocateQueuesAveragely(queues, members, m));
    expect(assigned).toEqual([[0, 1, 2], [3, 4, 5], [6, 7]]);
  });

  it('leaves extra members idle when there are more members than queues', () => {
    const members = ['a', 'b', 'c'];
    expect(members.map((m) => allocateQueuesAveragely([0, 1], members, m))).toEqual([[0], [1], []]);
  });

  it('gives nothing to a non-member', () => {
    expect(allocateQueuesAveragely(queues, ['a'], 'z')).toEqual([]);
  });
});
