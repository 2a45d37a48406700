import { createHash } from 'node:crypto';
import { injectable } from 'inversify';
import type { AllocationInput, QueueAllocationStrategy } from './queue-allocation-strategy';

const VIRTUAL_NODES_PER_MEMBER = 10;

interface RingNode {
  hash: number;
  member: string;
}

/**
 * Members placed on a hash ring (several virtual nodes each); a queue goes to the first node at or
 * after its own hash. A joining member takes queues only from its ring neighbours and a leaving
 * one hands only its own queues on, so membership changes move few queues.
 */
@injectable()
export class ConsistentHashAllocationStrategy implements QueueAllocationStrategy {
  readonly name = 'consistent-hash';

  allocate({ topic, queueIds, members }: AllocationInput): Map<number, string> {
    const allocation = new Map<number, string>();
    if (members.length === 0) return allocation;
    const ring: RingNode[] = [];
    for (const member of members) {
      for (let i = 0; i < VIRTUAL_NODES_PER_MEMBER; i++) ring.push({ hash: hash32(`${member}#${i}`), member });
    }
    ring.sort((a, b) => a.hash - b.hash || (a.member < b.member ? -1 : a.member > b.member ? 1 : 0));
    for (const queueId of queueIds) allocation.set(queueId, nodeAtOrAfter(ring, hash32(`${topic}#${queueId}`)).member);
    return allocation;
  }
}

function hash32(key: string): number {
  return createHash('md5').update(key).digest().readUInt32BE(0);
}

function nodeAtOrAfter(ring: readonly RingNode[], hash: number): RingNode {
  let low = 0;
  let high = ring.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ring[middle]!.hash < hash) low = middle + 1;
    else high = middle;
  }
  return ring[low % ring.length]!;
}
