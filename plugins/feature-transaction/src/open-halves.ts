import type { OpenHalf } from './open-half';

/**
 * The undecided half messages, by id, in two check queues each ordered by when its halves fall
 * due: those never checked (by store time) and those checked before (by last check time). Finding
 * the halves due costs only as many steps as there are due halves.
 */
export class OpenHalves {
  private readonly byMsgId = new Map<string, OpenHalf>();
  private readonly awaitingFirstCheck = new Map<string, OpenHalf>();
  private readonly awaitingRecheck = new Map<string, OpenHalf>();

  constructor(private readonly checkIntervalMs: number) {}

  get size(): number {
    return this.byMsgId.size;
  }

  get(msgId: string): OpenHalf | undefined {
    return this.byMsgId.get(msgId);
  }

  /** Adds a half in offset order: never checked ones by store time, others due at `nextCheckAt` as given. */
  add(half: OpenHalf): void {
    if (this.byMsgId.has(half.msgId)) return;
    this.byMsgId.set(half.msgId, half);
    (half.checks === 0 ? this.awaitingFirstCheck : this.awaitingRecheck).set(half.msgId, half);
  }

  delete(msgId: string): boolean {
    this.awaitingFirstCheck.delete(msgId);
    this.awaitingRecheck.delete(msgId);
    return this.byMsgId.delete(msgId);
  }

  /** Every open half, in offset order. */
  values(): IterableIterator<OpenHalf> {
    return this.byMsgId.values();
  }

  /** The halves due at `now`, each moved to the end of the recheck queue with its next check an interval later. */
  takeDue(now: number): OpenHalf[] {
    const due: OpenHalf[] = [];
    for (const queue of [this.awaitingFirstCheck, this.awaitingRecheck]) {
      for (const half of queue.values()) {
        if (half.nextCheckAt > now) break;
        due.push(half);
      }
    }
    for (const half of due) {
      this.awaitingFirstCheck.delete(half.msgId);
      this.awaitingRecheck.delete(half.msgId);
      half.nextCheckAt = now + this.checkIntervalMs;
      this.awaitingRecheck.set(half.msgId, half);
    }
    return due;
  }
}
