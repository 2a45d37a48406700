import { ErrorCode, SystemProperties, TesseraError, type Broker, type Logger, type StoredMessage } from '@tessera/kernel';
import { deliveredMessageOf } from './delivered-message-of';
import { DelayTopic } from './delay-topic';
import { parkedDueTime } from './parked-due-time';
import { parkedIdOf } from './parked-id-of';
import { reparkedMessageOf } from './reparked-message-of';
import { timerFireTime } from './timer-fire-time';
import type { TimerHeap } from './timer-heap';

const ROUND_MESSAGES = 1024;
/** Parked bodies one round reads at most (at least one message). */
const ROUND_BYTES = 16 * 1024 * 1024;
const RETRY_AFTER_MS = 1000;
/** The longest a timer is set for; it is set again when it fires early for this reason. */
const MAX_TIMER_MS = 60_000;
const TRANSIENT_CODES = new Set<number>([ErrorCode.SYSTEM_BUSY, ErrorCode.STORE_UNAVAILABLE, ErrorCode.FLUSH_TIMEOUT, ErrorCode.STORE_FULL, ErrorCode.SHUTTING_DOWN]);

export interface DelivererSettings {
  rollAfterMs: number;
  /**
   * Entries firing at or before `uncertainUntil`, of messages parked before this run
   * (below `uncertainBelowOffset`), may have been handled before a crash: they are checked by
   * key before they are handled again.
   */
  uncertainUntil: number;
  uncertainBelowOffset: number;
}

/** One due timer entry and what became of it in a round. */
interface DueEntry {
  fireAt: number;
  offset: number;
  parked?: StoredMessage;
  done: boolean;
}

/**
 * Takes due entries off the timer heap in rounds: reads their parked messages, writes those that
 * are due to their real topics in one produce call and parks again those that are not (their
 * timer fired to keep them ahead of retention). It wakes at the next fire time, and never
 * handles an entry firing after the horizon the last progress record covers.
 */
export class DueMessageDeliverer {
  private running = false;
  private horizon = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private retryAt = 0;
  private working: Promise<void> | undefined;
  private inflight: { fireAt: number; offset: number } | undefined;
  private lastFireAt = Number.NaN;
  private lastOffset = Number.NaN;
  private maxHandled = 0;
  /** Entries firing at or before this were in a round whose writes failed. */
  private checkUntil = 0;

  constructor(
    private readonly broker: Broker,
    private readonly heap: TimerHeap,
    private readonly settings: DelivererSettings,
    private readonly logger: Logger,
  ) {}

  /** The first entry of the round in progress: not handled yet, though no longer in the heap. */
  get inflightFirst(): { fireAt: number; offset: number } | undefined {
    return this.inflight;
  }

  /** The latest fire time of an entry handled so far (0 if none). */
  get maxHandledFireAt(): number {
    return this.maxHandled;
  }

  start(): void {
    this.running = true;
    this.wake();
  }

  /** Waits for the round in progress; entries it could not finish go back to the heap. */
  async stop(): Promise<void> {
    this.running = false;
    this.clearTimer();
    await this.working;
  }

  /** A progress record now covers entries firing up to `horizon`. */
  extendHorizon(horizon: number): void {
    this.horizon = horizon;
    this.wake();
  }

  /** Looks at the heap again: the earliest entry may have changed. */
  wake(): void {
    if (!this.running) return;
    if (this.working) return;
    const fireAt = Math.max(this.heap.topFireAt, this.retryAt);
    if (fireAt > this.horizon) return this.clearTimer();
    const waitMs = fireAt - Date.now();
    if (waitMs <= 0) {
      this.clearTimer();
      this.working = this.work().finally(() => {
        this.working = undefined;
        this.wake();
      });
      return;
    }
    if (fireAt === this.timerAt) return;
    this.clearTimer();
    this.timerAt = fireAt;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.wake();
    }, Math.min(waitMs, MAX_TIMER_MS));
  }

  private clearTimer(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private async work(): Promise<void> {
    try {
      while (this.running && (await this.round()));
    } catch (error) {
      this.retryAt = Date.now() + RETRY_AFTER_MS;
      // A stop makes the kernel refuse the round in progress; its entries are back in the heap for the next start.
      if (this.running) this.logger.warn({ err: error }, `delivering due delayed messages failed; trying again in ${RETRY_AFTER_MS} ms`);
    }
  }

  /** One round: false when nothing was due. */
  private async round(): Promise<boolean> {
    const entries = this.takeDue(Math.min(Date.now(), this.horizon));
    if (entries.length === 0) return false;
    this.inflight = { fireAt: entries[0]!.fireAt, offset: entries[0]!.offset };
    try {
      await this.readParked(entries);
      await this.handle(entries.filter((entry) => entry.parked));
      for (const entry of entries) if (!entry.parked && !entry.done) this.pushBack(entry);
    } catch (error) {
      for (const entry of entries) {
        if (entry.done) continue;
        this.pushBack(entry);
        // A write that failed may have been stored all the same: check before writing it again.
        if (entry.fireAt > this.checkUntil) this.checkUntil = entry.fireAt;
      }
      throw error;
    } finally {
      this.inflight = undefined;
      for (const entry of entries) if (entry.done && entry.fireAt > this.maxHandled) this.maxHandled = entry.fireAt;
    }
    return true;
  }

  private takeDue(now: number): DueEntry[] {
    const entries: DueEntry[] = [];
    const heap = this.heap;
    while (entries.length < ROUND_MESSAGES && heap.topFireAt <= now) {
      const fireAt = heap.topFireAt;
      const offset = heap.topOffset;
      heap.pop();
      // A bucket file may hold an entry twice (written again after a crash); equal entries pop one after the other.
      if (fireAt === this.lastFireAt && offset === this.lastOffset) continue;
      this.lastFireAt = fireAt;
      this.lastOffset = offset;
      entries.push({ fireAt, offset, done: false });
    }
    return entries;
  }

  private pushBack(entry: DueEntry): void {
    this.heap.push(entry.fireAt, entry.offset);
    this.lastFireAt = Number.NaN;
    this.lastOffset = Number.NaN;
  }

  /**
   * Reads the parked messages, runs of consecutive offsets in one read each, until ROUND_BYTES.
   * Entries whose message is gone (retention) or is not theirs (a stale entry) are done;
   * entries left unread stay without `parked` and go back to the heap.
   */
  private async readParked(entries: DueEntry[]): Promise<void> {
    const byOffset = [...entries].sort((a, b) => a.offset - b.offset);
    let bytes = 0;
    let index = 0;
    while (index < byOffset.length && bytes < ROUND_BYTES) {
      let end = index + 1;
      while (end < byOffset.length && byOffset[end]!.offset <= byOffset[end - 1]!.offset + 1) end++;
      const first = byOffset[index]!.offset;
      const read = await this.broker.readSystemTopic({
        topic: DelayTopic.NAME,
        queueId: DelayTopic.QUEUE_ID,
        offset: first,
        maxCount: byOffset[end - 1]!.offset - first + 1,
        maxBytes: ROUND_BYTES - bytes,
      });
      const messages = read.status === 'FOUND' ? read.messages : [];
      for (const message of messages) bytes += message.body.length;
      const readUpTo = messages.length > 0 ? messages[messages.length - 1]!.queueOffset : first - 1;
      let m = 0;
      for (; index < end && byOffset[index]!.offset <= readUpTo; index++) {
        const entry = byOffset[index]!;
        while (messages[m]!.queueOffset < entry.offset) m++;
        const message = messages[m]!;
        if (message.queueOffset === entry.offset && timerFireTime(message.properties) === entry.fireAt) entry.parked = message;
        else entry.done = true;
      }
      if (messages.length === 0) {
        const entry = byOffset[index++]!;
        entry.done = true;
        if (read.status === 'OFFSET_TOO_SMALL') {
          this.logger.error({ offset: entry.offset }, 'a scheduled message was deleted by storage retention before it was due: it is lost');
        } else {
          this.logger.warn({ offset: entry.offset, status: read.status }, 'a timer entry points past the end of the delay topic: it is skipped');
        }
      }
    }
  }

  /** Delivers the due entries and parks again the others; marks what it finished as done. */
  private async handle(entries: DueEntry[]): Promise<void> {
    const now = Date.now();
    const due: DueEntry[] = [];
    const notYet: DueEntry[] = [];
    for (const entry of entries) {
      const parked = entry.parked!;
      const dueAt = parkedDueTime(parked.properties);
      if (dueAt === undefined || parked.properties[SystemProperties.REAL_TOPIC] === undefined) {
        this.logger.error({ msgId: parked.msgId }, 'a parked message lacks its due time or real topic: it is dropped');
        entry.done = true;
      } else if (this.isUncertain(entry) && (await this.handledBeforeCrash(parked, dueAt <= now))) {
        entry.done = true;
      } else {
        (dueAt <= now ? due : notYet).push(entry);
      }
    }
    if (notYet.length > 0) {
      await this.broker.appendToSystemTopic(
        notYet.map((entry) => reparkedMessageOf(entry.parked!, parkedDueTime(entry.parked!.properties)!, now, this.settings.rollAfterMs)),
      );
      for (const entry of notYet) entry.done = true;
    }
    if (due.length > 0) await this.deliver(due);
  }

  private isUncertain(entry: DueEntry): boolean {
    return (entry.fireAt <= this.settings.uncertainUntil && entry.offset < this.settings.uncertainBelowOffset) || entry.fireAt <= this.checkUntil;
  }

  /** Whether a run that crashed already wrote this entry's delivery (or its copy parked again). */
  private async handledBeforeCrash(parked: StoredMessage, isDue: boolean): Promise<boolean> {
    const key = DelayTopic.deliveryKey(parkedIdOf(parked));
    if (isDue) {
      const topic = parked.properties[SystemProperties.REAL_TOPIC]!;
      return (await this.broker.queryMessagesByKey({ topic, key, maxCount: 1 })).length > 0;
    }
    const copies = await this.broker.queryMessagesByKey({ topic: DelayTopic.NAME, key, maxCount: 64 });
    return copies.some((copy) => copy.queueOffset > parked.queueOffset);
  }

  /** One produce for the batch; if the kernel refuses it for good, message by message, dropping those it refuses. */
  private async deliver(entries: DueEntry[]): Promise<void> {
    const messages = entries.map((entry) => {
      const topic = entry.parked!.properties[SystemProperties.REAL_TOPIC]!;
      return deliveredMessageOf(entry.parked!, this.broker.topics.get(topic)?.writeQueueCount);
    });
    try {
      await this.broker.produce(messages, { protocol: 'internal' });
      for (const entry of entries) entry.done = true;
      return;
    } catch (error) {
      if (isTransient(error)) throw error;
      if (entries.length === 1) return this.drop(entries[0]!, error);
    }
    for (const [i, entry] of entries.entries()) {
      try {
        await this.broker.produce([messages[i]!], { protocol: 'internal' });
        entry.done = true;
      } catch (error) {
        if (isTransient(error)) throw error;
        this.drop(entry, error);
      }
    }
  }

  private drop(entry: DueEntry, error: unknown): void {
    const parked = entry.parked!;
    this.logger.error(
      { err: error, msgId: parked.msgId, topic: parked.properties[SystemProperties.REAL_TOPIC] },
      'a delayed message fell due but its topic refuses it: it is dropped',
    );
    entry.done = true;
  }
}

function isTransient(error: unknown): boolean {
  return !TesseraError.is(error) || TRANSIENT_CODES.has(error.code);
}
