import { queuesByMember } from './queues-by-member';
import { RoundRobinAllocationStrategy } from './round-robin-allocation-strategy';

describe('RoundRobinAllocationStrategy', () => {
  const strategy = new RoundRobinAllocationStrategy();
  const allocate = (queueCount: number, members: string[]) =>
    strategy.allocate({ group: 'g', topic: 't', queueIds: Array.from({ length: queueCount }, (_, i) => i), members, previous: new Map() });

  it('deals the queues to the members in turn', () => {
    expect(queuesByMember(allocate(8, ['a', 'b', 'c']))).toEqual({ a: [0, 3, 6], b: [1, 4, 7], c: [2, 5] });
    expect(queuesByMember(allocate(2, ['a', 'b', 'c']))).toEqual({ a: [0], b: [1] });
  });

  it('allocates nothing without members', () => {
    expect(allocate(4, []).size).toBe(0);
  });
});
