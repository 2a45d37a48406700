import { ErrorCode, TesseraError, type Logger } from '@tessera/kernel';
import type { ConsumeQueue, TailMemory } from './consume-queue';
import { ConsumeQueueEntry } from './consume-queue-entry';
import { KeyIndex, type StagedKeys } from './key-index';
import { uint64 } from './uint64';

/** Unflushed entries (all queues) that start a flush before the interval is up. */
const FLUSH_AT_ENTRIES = 16384;
/** Queue files written at once: the rest of libuv's threadpool stays free for log writes, fsyncs and reads. */
const WRITE_CONCURRENCY = 2;

/** What a flush covered: every record below `visibleOffset` has its index entries in the files. */
export interface FlushOutcome {
  visibleOffset: number;
}

/**
 * Writes published consume-queue entries and key-index entries to their files off the append
 * path: after an interval or once enough have piled up, one coalesced write per dirty queue.
 * Appends wait (backpressure) only when the in-memory tails pass their budget.
 */
export class IndexFlusher {
  private readonly dirty = new Set<ConsumeQueue>();
  private pendingKeys: StagedKeys[] = [];
  private pendingEntries = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<FlushOutcome> | undefined;
  /** The flush that runs after the current one, shared by everyone who asked meanwhile. */
  private nextFlush: Promise<FlushOutcome> | undefined;
  private gate: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly keyIndex: KeyIndex,
    private readonly memory: TailMemory,
    private readonly intervalMs: number,
    private readonly logger: Logger,
    /** The writer's visible log position: every record below it is published. */
    private readonly visibleOffset: () => number,
    /** Resolves once everything appended so far is published (or refused). */
    private readonly barrier: () => Promise<void>,
  ) {}

  /** A batch was published: its queues have new visible entries, `keys` new key entries. */
  published(queues: Iterable<ConsumeQueue>, entries: number, keys: StagedKeys | undefined): void {
    for (const queue of queues) this.dirty.add(queue);
    if (keys) this.pendingKeys.push(keys);
    this.pendingEntries += entries + (keys?.count ?? 0);
    if (this.stopped) return;
    if (this.pendingEntries >= FLUSH_AT_ENTRIES) void this.flushQuietly();
    else this.schedule();
  }

  /** Appends wait on this while the tails are over budget; undefined when they may go on. */
  get appendGate(): Promise<void> | undefined {
    if (this.memory.pressure) this.gate ??= this.relieve();
    return this.gate;
  }

  /** Writes everything published before the call to the index files; flushes run one at a time. */
  flush(): Promise<FlushOutcome> {
    if (!this.flushing) return this.startFlush();
    this.nextFlush ??= this.flushing
      .catch(() => undefined)
      .then(() => {
        this.nextFlush = undefined;
        return this.startFlush();
      });
    return this.nextFlush;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Drops a deleted queue: its files are gone. */
  forget(queue: ConsumeQueue): void {
    this.dirty.delete(queue);
  }

  private startFlush(): Promise<FlushOutcome> {
    const flushing: Promise<FlushOutcome> = this.flushOnce().finally(() => {
      if (this.flushing === flushing) this.flushing = undefined;
    });
    this.flushing = flushing;
    return flushing;
  }

  private async flushOnce(): Promise<FlushOutcome> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const visibleOffset = this.visibleOffset();
    const queues = [...this.dirty];
    this.dirty.clear();
    const keys = this.pendingKeys;
    this.pendingKeys = [];
    this.pendingEntries = 0;
    let next = 0;
    const failures: unknown[] = [];
    const worker = async (): Promise<void> => {
      while (next < queues.length) {
        const queue = queues[next++]!;
        try {
          await queue.flush();
        } catch (error) {
          failures.push(error);
          this.dirty.add(queue);
        }
      }
    };
    const workers = Array.from({ length: Math.min(WRITE_CONCURRENCY, queues.length) }, worker);
    if (keys.length > 0) {
      const merged = KeyIndex.merge(keys);
      try {
        await this.keyIndex.write(merged);
      } catch (error) {
        failures.push(error);
        // The in-memory chains may have linked entries the file lacks: reload from the file, retry later.
        await this.keyIndex.truncateFrom(uint64.read(merged.buffer, 4)).catch(() => undefined);
        this.pendingKeys.unshift(merged);
      }
    }
    await Promise.all(workers);
    this.releaseTails(queues);
    if (failures.length > 0) throw failures[0];
    return { visibleOffset };
  }

  /** Over the tail budget: frees the tails of queues whose entries are all in the files. */
  private releaseTails(flushed: readonly ConsumeQueue[]): void {
    for (const queue of flushed) {
      if (this.memory.bytes <= this.memory.limitBytes) return;
      queue.releaseTail();
    }
  }

  private async flushQuietly(): Promise<void> {
    try {
      await this.flush();
    } catch (error) {
      this.logger.error({ err: error }, 'writing consume-queue or key-index entries failed; retrying');
      if (!this.stopped) this.schedule();
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flushQuietly(), this.intervalMs);
    this.timer.unref();
  }

  /** Lets the writer publish what it holds and the flush catch up; refuses appends if it cannot. */
  private async relieve(): Promise<void> {
    try {
      await this.barrier();
      await this.flush();
      if (this.memory.unwritten * ConsumeQueueEntry.BYTES > this.memory.limitBytes) throw new Error('the index tails are still over budget');
    } catch (error) {
      throw new TesseraError(ErrorCode.STORE_UNAVAILABLE, `consume-queue writes are not keeping up: ${(error as Error)?.message ?? error}`);
    } finally {
      this.memory.pressure = false;
      this.gate = undefined;
    }
  }
}
