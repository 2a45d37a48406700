import { injectable } from 'inversify';
import type { AllocationInput, QueueAllocationStrategy } from './queue-allocation-strategy';

/**
 * Balanced (member shares differ by at most one) while moving as few queues as possible: every
 * live member keeps its previous queues up to its share, and only the surplus and the queues of
 * departed members are dealt to members below their share.
 */
@injectable()
export class StickyAllocationStrategy implements QueueAllocationStrategy {
  readonly name = 'sticky';

  allocate({ queueIds, members, previous }: AllocationInput): Map<number, string> {
    const allocation = new Map<number, string>();
    if (members.length === 0) return allocation;
    const kept = new Map<string, number[]>(members.map((member) => [member, []]));
    const free: number[] = [];
    for (const queueId of queueIds) {
      const owner = previous.get(queueId);
      const keptByOwner = owner === undefined ? undefined : kept.get(owner);
      if (keptByOwner) keptByOwner.push(queueId);
      else free.push(queueId);
    }
    // The larger shares go to the members that keep the most, which maximises what stays put.
    const base = Math.floor(queueIds.length / members.length);
    const extra = queueIds.length % members.length;
    const share = new Map<string, number>();
    [...members]
      .sort((a, b) => kept.get(b)!.length - kept.get(a)!.length)
      .forEach((member, rank) => share.set(member, base + (rank < extra ? 1 : 0)));
    for (const member of members) {
      const keeps = kept.get(member)!;
      const quota = share.get(member)!;
      for (const queueId of keeps.slice(0, quota)) allocation.set(queueId, member);
      free.push(...keeps.slice(quota));
    }
    free.sort((a, b) => a - b);
    let next = 0;
    for (const member of members) {
      const missing = share.get(member)! - Math.min(kept.get(member)!.length, share.get(member)!);
      for (let i = 0; i < missing; i++) allocation.set(free[next++]!, member);
    }
    return allocation;
  }
}
