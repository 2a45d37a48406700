import { AverageAllocationStrategy } from './average-allocation-strategy';
import { queuesByMember } from './queues-by-member';

describe('AverageAllocationStrategy', () => {
  const strategy = new AverageAllocationStrategy();
  const allocate = (queueCount: number, members: string[]) =>
    strategy.allocate({ group: 'g', topic: 't', queueIds: Array.from({ length: queueCount }, (_, i) => i), members, previous: new Map() });

  it('gives each member a contiguous run, the first members one more', () => {
    expect(queuesByMember(allocate(8, ['a', 'b', 'c']))).toEqual({ a: [0, 1, 2], b: [3, 4, 5], c: [6, 7] });
    expect(queuesByMember(allocate(4, ['a', 'b']))).toEqual({ a: [0, 1], b: [2, 3] });
  });

  it('leaves the last members without a queue when there are more members than queues', () => {
    expect(queuesByMember(allocate(2, ['a', 'b', 'c']))).toEqual({ a: [0], b: [1] });
  });

  it('allocates nothing without members', () => {
    expect(allocate(4, []).size).toBe(0);
  });
});
