import type { GroupMember } from '../coordination/coordination-service';
import type { AssignmentSyncResult } from './assignment-sync';
import type { QueueAllocationStrategy } from './queue-allocation-strategy';

/**
 * One consumer group's hold on one topic's read queues: where its strategy wants each queue (the
 * target), who consumes each queue now (the owner), queues whose offsets were reset under their
 * owner, and the syncs held until any of that changes. Every change takes a new generation and
 * wakes the held syncs.
 */
export class TopicAssignment {
  private currentGeneration: number;
  private queueCount = 0;
  private target = new Map<number, string>();
  /** What the target was computed from; the strategy runs again only when this changes. */
  private targetInputs = '';
  private readonly owners = new Map<number, string>();
  private readonly resetUnderOwner = new Set<number>();
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly group: string,
    readonly topic: string,
    private readonly nextGeneration: () => number,
  ) {
    this.currentGeneration = nextGeneration();
  }

  get generation(): number {
    return this.currentGeneration;
  }

  ownerOf(queueId: number): string | undefined {
    return this.owners.get(queueId);
  }

  isResetUnderOwner(queueId: number): boolean {
    return this.resetUnderOwner.has(queueId);
  }

  /**
   * Applies the group's live membership and the topic's read queue count: owners that left, stopped
   * consuming in CLUSTERING mode or unsubscribed lose their queues, and the target is recomputed
   * when its inputs changed. Returns the new target when it changed.
   */
  reconcile(
    members: readonly GroupMember[],
    queueCount: number,
    strategy: QueueAllocationStrategy,
  ): ReadonlyMap<number, string> | undefined {
    const consumers = members.filter((m) => m.messageModel === 'CLUSTERING' && m.topics.includes(this.topic)).map((m) => m.clientId);
    const live = new Set(consumers);
    let changed = false;
    let retargeted = false;
    for (const [queueId, owner] of this.owners) {
      if (queueId >= queueCount || !live.has(owner)) {
        this.release(queueId);
        changed = true;
      }
    }
    this.queueCount = queueCount;
    const inputs = [strategy.name, queueCount, ...consumers].join('\u0000');
    if (inputs !== this.targetInputs) {
      this.targetInputs = inputs;
      const target = strategy.allocate({
        group: this.group,
        topic: this.topic,
        queueIds: Array.from({ length: queueCount }, (_, queueId) => queueId),
        members: consumers,
        previous: new Map([...this.owners, ...this.target]),
      });
      if (!sameAllocation(target, this.target)) {
        this.target = target;
        changed = retargeted = true;
      }
    }
    if (changed) this.publish();
    return retargeted ? this.target : undefined;
  }

  /**
   * A CLUSTERING member's sync: releases the queues it owns but no longer holds, records the held
   * queues nobody owns as its own, grants it the unowned queues targeted at it, and tells it which
   * held queues it must give up.
   */
  claim(clientId: string, held: readonly number[]): Pick<AssignmentSyncResult, 'owned' | 'revoked'> {
    const holding = new Set(held);
    let changed = false;
    for (const [queueId, owner] of this.owners) {
      if (owner === clientId && !holding.has(queueId)) {
        this.release(queueId);
        changed = true;
      }
    }
    for (const queueId of holding) {
      if (Number.isInteger(queueId) && queueId >= 0 && queueId < this.queueCount && !this.owners.has(queueId)) {
        this.owners.set(queueId, clientId);
        changed = true;
      }
    }
    for (const [queueId, member] of this.target) {
      if (member === clientId && !this.owners.has(queueId)) {
        this.owners.set(queueId, clientId);
        changed = true;
      }
    }
    if (changed) this.publish();
    const owned: number[] = [];
    for (const [queueId, member] of this.target) {
      if (member === clientId && this.owners.get(queueId) === clientId && !this.resetUnderOwner.has(queueId)) owned.push(queueId);
    }
    owned.sort(ascending);
    const ownedSet = new Set(owned);
    const revoked = [...holding].filter((queueId) => !ownedSet.has(queueId)).sort(ascending);
    return { owned, revoked };
  }

  /** After an offset reset: owners must release their queues and may not commit on them until then. */
  markOwnedQueuesReset(): void {
    if (this.owners.size === 0) return;
    for (const queueId of this.owners.keys()) this.resetUnderOwner.add(queueId);
    this.publish();
  }

  /** Resolves once the generation differs from `generation`, or on timeout, abort or wakeWaiters. */
  waitForChange(generation: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (generation !== this.currentGeneration || timeoutMs <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.waiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      signal?.addEventListener('abort', finish, { once: true });
      this.waiters.add(finish);
    });
  }

  wakeWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private release(queueId: number): void {
    this.owners.delete(queueId);
    this.resetUnderOwner.delete(queueId);
  }

  private publish(): void {
    this.currentGeneration = this.nextGeneration();
    this.wakeWaiters();
  }
}

function sameAllocation(a: ReadonlyMap<number, string>, b: ReadonlyMap<number, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [queueId, member] of a) if (b.get(queueId) !== member) return false;
  return true;
}

function ascending(a: number, b: number): number {
  return a - b;
}
