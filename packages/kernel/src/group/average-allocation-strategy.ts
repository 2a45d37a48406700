import { injectable } from 'inversify';
import type { AllocationInput, QueueAllocationStrategy } from './queue-allocation-strategy';

/**
 * RocketMQ's AllocateMessageQueueAveragely: each member takes a contiguous run of queues, the
 * first `queues % members` members one more than the others.
 */
@injectable()
export class AverageAllocationStrategy implements QueueAllocationStrategy {
  readonly name = 'average';

  allocate({ queueIds, members }: AllocationInput): Map<number, string> {
    const allocation = new Map<number, string>();
    if (members.length === 0) return allocation;
    const base = Math.floor(queueIds.length / members.length);
    const extra = queueIds.length % members.length;
    let next = 0;
    members.forEach((member, index) => {
      const end = next + base + (index < extra ? 1 : 0);
      for (; next < end; next++) allocation.set(queueIds[next]!, member);
    });
    return allocation;
  }
}
