/** Checks handed to one poll at most; the rest wait for the producer's next poll. */
const MAX_CHECKS_PER_POLL = 64;
/** Checks waiting for one producer at most; a check beyond it is retried at the next interval. */
const MAX_WAITING_CHECKS = 1024;

interface LiveProducer {
  lastSeenAt: number;
  /** Ids of the half messages this producer is asked to check. */
  mailbox: string[];
  /** Answers the poll being held, if any: with the mailbox, or empty. */
  answer?: (withChecks: boolean) => void;
  answerQueued: boolean;
}

interface ProducerGroup {
  members: Map<string, LiveProducer>;
  nextMember: number;
}

/**
 * The producers that may be sent checks, per producer group: a producer is live while it holds a
 * poll, and for `livenessMs` after its last one; its connection closing ends that at once. Each
 * check goes to one live producer, round robin.
 */
export class LiveProducers {
  private readonly groups = new Map<string, ProducerGroup>();

  constructor(private readonly livenessMs: number) {}

  /** The half ids to check: at once when some wait for this producer, else when one comes or `maxWaitMs` passes (then empty). */
  poll(producerGroup: string, clientId: string, maxWaitMs: number, signal?: AbortSignal): Promise<string[]> {
    const member = this.memberOf(producerGroup, clientId);
    member.lastSeenAt = Date.now();
    member.answer?.(false);
    if (member.mailbox.length > 0 || maxWaitMs <= 0 || signal?.aborted) return Promise.resolve(takeChecks(member));
    return new Promise((resolve) => {
      const answer = (withChecks: boolean) => {
        if (member.answer !== answer) return;
        member.answer = undefined;
        member.lastSeenAt = Date.now();
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(withChecks ? takeChecks(member) : []);
      };
      const onAbort = () => {
        if (member.answer !== answer) return;
        answer(false);
        this.forget(producerGroup, clientId);
      };
      const timer = setTimeout(() => answer(true), maxWaitMs);
      member.answer = answer;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Hands a check to the group's next live producer; false when there is none or its mailbox is full. */
  dispatch(producerGroup: string, halfMsgId: string, now: number): boolean {
    const group = this.groups.get(producerGroup);
    if (!group) return false;
    this.expire(producerGroup, group, now);
    if (group.members.size === 0) return false;
    const member = nthValue(group.members, group.nextMember++ % group.members.size);
    if (member.mailbox.length >= MAX_WAITING_CHECKS) return false;
    member.mailbox.push(halfMsgId);
    if (member.answer && !member.answerQueued) {
      // After the caller's loop, so every check dispatched in it leaves in one answer.
      member.answerQueued = true;
      queueMicrotask(() => {
        member.answerQueued = false;
        member.answer?.(true);
      });
    }
    return true;
  }

  /** Drops producers that are no longer live. */
  sweep(now: number): void {
    for (const [name, group] of this.groups) this.expire(name, group, now);
  }

  /** Answers every held poll, empty (the broker is stopping). */
  releaseAll(): void {
    for (const group of this.groups.values()) for (const member of group.members.values()) member.answer?.(false);
  }

  private memberOf(producerGroup: string, clientId: string): LiveProducer {
    let group = this.groups.get(producerGroup);
    if (!group) {
      group = { members: new Map(), nextMember: 0 };
      this.groups.set(producerGroup, group);
    }
    let member = group.members.get(clientId);
    if (!member) {
      member = { lastSeenAt: 0, mailbox: [], answerQueued: false };
      group.members.set(clientId, member);
    }
    return member;
  }

  private forget(producerGroup: string, clientId: string): void {
    const group = this.groups.get(producerGroup);
    if (!group) return;
    group.members.delete(clientId);
    if (group.members.size === 0) this.groups.delete(producerGroup);
  }

  private expire(name: string, group: ProducerGroup, now: number): void {
    for (const [clientId, member] of group.members) {
      if (!member.answer && now - member.lastSeenAt > this.livenessMs) group.members.delete(clientId);
    }
    if (group.members.size === 0) this.groups.delete(name);
  }
}

function takeChecks(member: LiveProducer): string[] {
  return member.mailbox.splice(0, MAX_CHECKS_PER_POLL);
}

function nthValue<V>(map: Map<string, V>, index: number): V {
  let i = 0;
  for (const value of map.values()) if (i++ === index) return value;
  throw new RangeError(`no entry ${index} in a map of ${map.size}`);
}
