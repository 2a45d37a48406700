import { injectable } from 'inversify';
import type { AllocationInput, QueueAllocationStrategy } from './queue-allocation-strategy';

/** RocketMQ's AllocateMessageQueueAveragelyByCircle: queues dealt to the members in turn. */
@injectable()
export class RoundRobinAllocationStrategy implements QueueAllocationStrategy {
  readonly name = 'round-robin';

  allocate({ queueIds, members }: AllocationInput): Map<number, string> {
    const allocation = new Map<number, string>();
    if (members.length === 0) return allocation;
    queueIds.forEach((queueId, index) => allocation.set(queueId, members[index % members.length]!));
    return allocation;
  }
}
