import { encodeMessageId, ErrorCode, tagHash, TesseraError, type AppendMessage, type AppendResult, type Logger, type OnReadable } from '@tessera/kernel';
import type { CommitLog, WriteRegion } from './commit-log';
import type { CommitLogMetrics } from './commit-log-metrics';
import type { CommitLogOptions } from './commit-log-options';
import type { ConsumeQueue } from './consume-queue';
import { encodeEndOfSegment, encodeRecord } from './encode-record';
import type { IndexFlusher } from './index-flusher';
import type { KeyIndex, StagedKeys } from './key-index';
import type { RecentLogCache } from './recent-log-cache';
import { RecordLayout } from './record-layout';

/** A batch is sealed for writing at this size: bigger writes cost more than they save (ext4 here). */
const MAX_BATCH_BYTES = 1024 * 1024;
/**
 * Written bytes awaiting their fsync at which writing waits for it: writes never wait for an
 * fsync below this (so a batch is readable without waiting for the previous batch's fsync), and
 * a stalled disk cannot make unacked batches pile up in memory.
 */
const MAX_UNSYNCED_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 2 * MAX_BATCH_BYTES;
const CHUNK_POOL_SIZE = 8;
/** An fdatasync slower than this is logged (at most once a second): a disk stall shows in the acks' latency. */
const SLOW_FLUSH_MS = 100;

interface Waiter {
  results: AppendResult[];
  resolve(results: AppendResult[]): void;
  reject(error: unknown): void;
}

/** Appends accumulated since the last write started: written with one writev per segment, one fsync. */
interface Batch {
  startPosition: number;
  endPosition: number;
  regions: WriteRegion[];
  chunks: Buffer[];
  waiters: Waiter[];
  /** The appends' onReadable callbacks, called when the batch is published. */
  readers: OnReadable[];
  /** Readable: its queue entries are visible and its bytes cached. */
  published: boolean;
  queues: Set<ConsumeQueue>;
  /** Each queue's assigned offset when the batch was sealed: publication makes entries below it visible. */
  queueEnds: Array<[ConsumeQueue, number]>;
  entryCount: number;
  keys: StagedKeys | undefined;
  /** The run of chunk bytes the last region is growing, not yet cut into a view. */
  sliceChunk: Buffer | undefined;
  sliceStart: number;
  sliceEnd: number;
  done: Promise<void>;
  markDone(): void;
}

/** What the writer needs from the engine for each appended message. */
export interface WriterContext {
  queueFor(topic: string, queueId: number): ConsumeQueue;
  topicBuffer(topic: string): Buffer;
  /** The store-id half of every message id (see the kernel's encodeMessageId). */
  storeId: number;
}

/**
 * The write path: encodes appends straight into reusable chunks, groups them into batches (one
 * writev per segment), writes each batch as soon as the one before it is written, and fsyncs
 * under SYNC one at a time, each fsync covering every batch written while the previous one ran
 * (group commit, as Kafka's and RocketMQ's flushers do). Batches are published in order
 * (readable once written, or once fsynced with `readableAfter: 'flush'`) and resolved in order
 * after their fsync.
 * A failed write rejects what it must and cuts the log back so it stays consistent; a failed
 * fsync of readable records, which cannot be cut, writes them again and fsyncs once more.
 */
export class CommitLogWriter {
  /** Where the next record goes. */
  nextPosition = 0;
  writtenOffset = 0;
  flushedOffset = 0;
  /** Records below this are readable: their batches are published (written, or fsynced with readableAfter flush). */
  visibleOffset = 0;
  lastStoreTimestamp = 0;
  private staged: Batch;
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  private chunkUsed = 0;
  private readonly chunkPool: Buffer[] = [];
  private writing = false;
  private writeScheduled = false;
  /** Sealed batches waiting for the writer. */
  private readonly ready: Batch[] = [];
  /** Batches being written or waiting for their fsync, oldest first. */
  private readonly inFlight: Batch[] = [];
  /** The SYNC flusher runs: one fdatasync at a time. */
  private syncing = false;
  /** The SYNC flusher's last run, to wait for. */
  private syncRun: Promise<void> = Promise.resolve();
  /** The failure being recovered from was an fdatasync's: readable batches' pages may be gone. */
  private syncFailed = false;
  /** Woken when the flusher finishes an fsync or stops: writing waits on it past MAX_UNSYNCED_BYTES. */
  private syncProgress: Array<() => void> = [];
  private failure: unknown;
  /** Set when the disk failed an fsync even after a rewrite: appends are refused until a restart. */
  private fenced: TesseraError | undefined;
  private readonly readableOnWrite: boolean;
  private readonly segmentsToSync = new Set<number>();
  private asyncFlushTimer: NodeJS.Timeout | undefined;
  private asyncFlushing: Promise<void> | undefined;
  private slowFlushes = 0;
  private slowestFlushMs = 0;
  private slowFlushLoggedAt = 0;

  constructor(
    private readonly log: CommitLog,
    private readonly keyIndex: KeyIndex,
    private readonly options: CommitLogOptions,
    private readonly logger: Logger,
    private readonly context: WriterContext,
    private readonly cache: RecentLogCache,
    private readonly indexes: IndexFlusher,
    private readonly metrics: CommitLogMetrics,
  ) {
    this.staged = this.newBatch();
    this.readableOnWrite = options.flushMode === 'ASYNC' || options.readableAfter === 'write';
  }

  /** Starts writing at `position` (the end of the recovered log). */
  start(position: number, lastStoreTimestamp: number): void {
    this.nextPosition = this.writtenOffset = this.flushedOffset = this.visibleOffset = position;
    this.lastStoreTimestamp = lastStoreTimestamp;
    this.cache.reset(position);
    this.staged = this.newBatch();
    if (this.options.flushMode === 'ASYNC') {
      this.asyncFlushTimer = setInterval(() => {
        if (!this.asyncFlushing && this.flushedOffset < this.writtenOffset) {
          this.asyncFlushing = this.flushWritten().finally(() => (this.asyncFlushing = undefined));
        }
      }, this.options.asyncFlushIntervalMs);
      this.asyncFlushTimer.unref();
    }
  }

  /** Waits for everything appended to be written, then fsyncs all of it. */
  async stop(): Promise<void> {
    clearInterval(this.asyncFlushTimer);
    await this.drain();
    await this.asyncFlushing;
    await this.log.sync(this.log.segmentStarts());
    this.flushedOffset = this.writtenOffset;
  }

  /** Stages validated messages (`sizes` from measureRecord) and resolves once they are durable per the flush mode. */
  append(messages: readonly AppendMessage[], sizes: readonly number[], onReadable?: OnReadable): Promise<AppendResult[]> {
    if (this.fenced) return Promise.reject(this.fenced);
    const batch = this.staged;
    const now = Date.now();
    const storeTimestamp = (this.lastStoreTimestamp = now > this.lastStoreTimestamp ? now : this.lastStoreTimestamp);
    const results = new Array<AppendResult>(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      const size = sizes[i]!;
      const position = this.reserve(batch, size);
      const queue = this.context.queueFor(message.topic, message.queueId);
      const queueOffset = queue.stage(position, size, tagHash(message.tag), storeTimestamp);
      batch.queues.add(queue);
      const at = this.stageBytes(batch, position, size);
      encodeRecord(this.chunk, at, size, message, this.context.topicBuffer(message.topic), { queueOffset, physicalOffset: position, storeTimestamp });
      if (message.keys) for (const key of message.keys) this.keyIndex.stage(message.topic, key, position, storeTimestamp);
      results[i] = {
        msgId: encodeMessageId(this.context.storeId, position),
        topic: message.topic,
        queueId: message.queueId,
        queueOffset,
        commitLogOffset: position,
        storeTimestamp,
        storeSize: size,
      };
    }
    batch.endPosition = this.nextPosition;
    batch.entryCount += messages.length;
    if (onReadable) batch.readers.push(onReadable);
    const appended = new Promise<AppendResult[]>((resolve, reject) => batch.waiters.push({ results, resolve, reject }));
    if (batch.endPosition - batch.startPosition >= MAX_BATCH_BYTES) this.ready.push(this.detachBatch());
    this.scheduleWrite();
    return appended;
  }

  /** Forces an fsync of everything written so far. */
  async flush(): Promise<void> {
    await this.drain();
    if (this.flushedOffset < this.writtenOffset) await this.flushWritten();
  }

  /** Picks the record's log position, closing the segment with an end marker when it does not fit. */
  private reserve(batch: Batch, size: number): number {
    let position = this.nextPosition;
    const segmentEnd = this.log.segmentStartFor(position) + this.options.segmentBytes;
    if (position + size !== segmentEnd && position + size + RecordLayout.END_OF_SEGMENT_BYTES > segmentEnd) {
      const at = this.stageBytes(batch, position, RecordLayout.END_OF_SEGMENT_BYTES);
      encodeEndOfSegment(this.chunk, at, segmentEnd - position);
      position = segmentEnd;
    }
    this.nextPosition = position + size;
    return position;
  }

  /** Room for `length` bytes at log `position` in the current chunk; returns where they go in it. */
  private stageBytes(batch: Batch, position: number, length: number): number {
    if (this.chunkUsed + length > this.chunk.length) {
      this.chunk = length > CHUNK_BYTES ? Buffer.allocUnsafe(length) : (this.chunkPool.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES));
      this.chunkUsed = 0;
      batch.chunks.push(this.chunk);
    }
    const at = this.chunkUsed;
    this.chunkUsed += length;
    const segmentStart = this.log.segmentStartFor(position);
    const region = batch.regions[batch.regions.length - 1];
    if (region && region.segmentStart === segmentStart && region.position + region.bytes === position) {
      region.bytes += length;
      if (batch.sliceChunk === this.chunk && batch.sliceEnd === at) {
        batch.sliceEnd = at + length;
        return at;
      }
      closeSlice(batch);
    } else {
      closeSlice(batch);
      batch.regions.push({ segmentStart, position, buffers: [], bytes: length });
    }
    // Slices are cut when they end, not per record: one Buffer view per run of chunk bytes.
    batch.sliceChunk = this.chunk;
    batch.sliceStart = at;
    batch.sliceEnd = at + length;
    return at;
  }

  private scheduleWrite(): void {
    if (this.writing || this.writeScheduled) return;
    this.writeScheduled = true;
    // One turn of the event loop lets appends arriving together share the write and the fsync.
    setImmediate(() => {
      this.writeScheduled = false;
      if (!this.writing) void this.writeLoop();
    });
  }

  /**
   * Writes batches in order, one writev per segment each, without waiting for fsyncs (up to
   * MAX_UNSYNCED_BYTES); under SYNC the flusher fsyncs behind it, under ASYNC a batch resolves
   * once written.
   */
  private async writeLoop(): Promise<void> {
    this.writing = true;
    for (;;) {
      if (this.failure) {
        await this.recoverFromFailure();
        continue;
      }
      while (this.writtenOffset - this.flushedOffset >= MAX_UNSYNCED_BYTES && this.syncing && !this.failure) {
        await new Promise<void>((resolve) => this.syncProgress.push(resolve));
      }
      if (this.failure) continue;
      const batch = this.ready.shift() ?? (this.staged.waiters.length > 0 ? this.detachBatch() : undefined);
      if (!batch) break;
      this.inFlight.push(batch);
      try {
        for (const region of batch.regions) await this.log.write(region);
      } catch (error) {
        this.failure ??= error;
        continue;
      }
      this.writtenOffset = batch.endPosition;
      this.metrics.recordsPerWrite.observe(batch.entryCount);
      this.metrics.bytesWritten.inc(batch.endPosition - batch.startPosition);
      if (this.readableOnWrite) this.publish(batch);
      if (this.options.flushMode === 'ASYNC') {
        for (const region of batch.regions) this.segmentsToSync.add(region.segmentStart);
        this.inFlight.shift();
        this.resolve(batch);
      } else if (!this.syncing) {
        this.syncRun = this.syncLoop();
      }
    }
    this.writing = false;
  }

  /**
   * The SYNC flusher: fsyncs what is written, one fdatasync at a time, then publishes (if still
   * due) and resolves the batches it covered, in order. A failed fsync leaves them to
   * recoverFromFailure, which the write loop runs.
   */
  private async syncLoop(): Promise<void> {
    this.syncing = true;
    try {
      while (!this.failure) {
        let covered = 0;
        while (covered < this.inFlight.length && this.inFlight[covered]!.endPosition <= this.writtenOffset) covered++;
        if (covered === 0) break;
        const segments = new Set<number>();
        for (let i = 0; i < covered; i++) for (const region of this.inFlight[i]!.regions) segments.add(region.segmentStart);
        const from = this.inFlight[0]!.startPosition;
        const to = this.inFlight[covered - 1]!.endPosition;
        try {
          await this.timedSync(segments, to - from);
        } catch (error) {
          if (!this.failure) {
            this.failure = error;
            this.syncFailed = true;
          }
          break;
        }
        this.flushedOffset = Math.max(this.flushedOffset, to);
        for (const batch of this.inFlight.splice(0, covered)) {
          if (!batch.published) this.publish(batch);
          this.resolve(batch);
        }
        this.wakeWriter();
      }
    } finally {
      this.syncing = false;
      this.wakeWriter();
      if (this.failure) this.scheduleWrite();
    }
  }

  private wakeWriter(): void {
    if (this.syncProgress.length === 0) return;
    const waiting = this.syncProgress;
    this.syncProgress = [];
    for (const wake of waiting) wake();
  }

  private async timedSync(segments: Iterable<number>, bytes: number): Promise<void> {
    const startedAt = performance.now();
    await this.log.sync(segments);
    const ms = performance.now() - startedAt;
    this.metrics.fdatasyncSeconds.observe(ms / 1000);
    if (ms < SLOW_FLUSH_MS) return;
    this.slowFlushes++;
    this.slowestFlushMs = Math.max(this.slowestFlushMs, ms);
    const now = Date.now();
    if (now - this.slowFlushLoggedAt < 1000) return;
    this.logger.warn(
      { slowFlushes: this.slowFlushes, slowestMs: Math.round(this.slowestFlushMs), lastBytes: bytes },
      `log fdatasync took over ${SLOW_FLUSH_MS} ms: the disk is stalling SYNC acks`,
    );
    this.slowFlushLoggedAt = now;
    this.slowFlushes = 0;
    this.slowestFlushMs = 0;
  }

  /**
   * Makes a written batch readable. Its queue and key entries are already in memory; the
   * IndexFlusher writes them to their files later, since recovery can rebuild them from the log.
   */
  private publish(batch: Batch): void {
    for (const [queue, end] of batch.queueEnds) queue.publishTo(end);
    this.visibleOffset = batch.endPosition;
    for (const region of batch.regions) {
      let position = region.position;
      for (const buffer of region.buffers) {
        this.cache.add(position, buffer);
        position += buffer.length;
      }
    }
    this.indexes.published(batch.queues, batch.entryCount, batch.keys);
    batch.published = true;
    for (const reader of batch.readers) {
      try {
        reader();
      } catch (error) {
        this.logger.error({ err: error }, 'an onReadable callback threw');
      }
    }
  }

  private resolve(batch: Batch): void {
    for (const waiter of batch.waiters) waiter.resolve(waiter.results);
    this.release(batch);
  }

  private detachBatch(): Batch {
    const batch = this.staged;
    closeSlice(batch);
    for (const queue of batch.queues) batch.queueEnds.push([queue, queue.assignedOffset]);
    batch.keys = this.keyIndex.detachStaged();
    this.staged = this.newBatch();
    this.chunk = this.chunkPool.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.chunkUsed = 0;
    this.staged.chunks.push(this.chunk);
    return batch;
  }

  private release(batch: Batch): void {
    for (const chunk of batch.chunks) if (chunk.length === CHUNK_BYTES && this.chunkPool.length < CHUNK_POOL_SIZE) this.chunkPool.push(chunk);
    batch.chunks = [];
    batch.markDone();
  }

  /**
   * A write or fsync failed: once nothing is in flight, readable batches (which cannot be cut)
   * are written again and fsynced. Then, if a write failed or the disk is fenced, every
   * unpublished append is rejected (later ones assumed the failed bytes' positions) and the
   * partial writes are cut from the log and the indexes; the next append tries again.
   */
  private async recoverFromFailure(): Promise<void> {
    await this.syncRun;
    const cause = this.failure;
    const rewrite = this.syncFailed;
    this.failure = undefined;
    this.syncFailed = false;
    const inFlight = this.inFlight.splice(0);
    const readable = inFlight.filter((batch) => batch.published);
    const unwritten = inFlight.filter((batch) => !batch.published);
    if (readable.length > 0) await this.syncReadable(readable, cause, rewrite);
    if (unwritten.length === 0 && !this.fenced) return;
    const failed = [...unwritten, ...this.ready.splice(0), this.detachBatch()];
    const from = failed[0]!.startPosition;
    const code = (cause as NodeJS.ErrnoException)?.code;
    const full = code === 'ENOSPC' || code === 'EDQUOT';
    const error =
      this.fenced ??
      new TesseraError(
        full ? ErrorCode.STORE_FULL : ErrorCode.STORE_UNAVAILABLE,
        `${full ? 'the disk is full' : 'the commitlog write failed'} at log position ${from}: ${(cause as Error)?.message ?? cause}`,
      );
    const touched = new Set(failed.flatMap((batch) => [...batch.queues]));
    for (const queue of touched) queue.forgetUnpublished();
    this.nextPosition = this.staged.startPosition = this.staged.endPosition = from;
    this.writtenOffset = Math.min(this.writtenOffset, from);
    const appends = failed.reduce((sum, batch) => sum + batch.waiters.length, 0);
    this.logger.error({ err: cause, position: from, appends }, 'commitlog write failed; appends rejected');
    try {
      await this.log.truncate(from);
    } catch (cleanupError) {
      this.logger.error({ err: cleanupError }, 'could not cut a failed write from the commitlog; recovery at the next open will');
    }
    for (const batch of failed) {
      for (const waiter of batch.waiters) waiter.reject(error);
      this.release(batch);
    }
  }

  /**
   * Readable batches not yet fsynced when a write or fsync failed: they cannot be cut (a consumer
   * may have them), so they are fsynced. When an fdatasync failed (`rewrite`), it may have
   * dropped their dirty pages and a later good one would not bring them back, so their bytes
   * (still in their chunks) are written again first. Then they can be acked. If the fsync after
   * a rewrite fails too the disk is fenced, as Kafka takes a failed log dir offline: appends are
   * refused until a restart recovers the log, while reads go on.
   */
  private async syncReadable(batches: Batch[], cause: unknown, rewrite: boolean): Promise<void> {
    const from = batches[0]!.startPosition;
    const to = batches[batches.length - 1]!.endPosition;
    try {
      if (rewrite) for (const batch of batches) for (const region of batch.regions) await this.log.write(region);
      await this.timedSync(new Set(batches.flatMap((batch) => batch.regions.map((region) => region.segmentStart))), to - from);
      this.flushedOffset = Math.max(this.flushedOffset, to);
      if (rewrite) this.logger.warn({ err: cause, from, to }, 'a commitlog fdatasync failed; its readable records were written again and fsynced');
      for (const batch of batches) this.resolve(batch);
    } catch (error) {
      if (!rewrite) return this.syncReadable(batches, error, true);
      this.fenced ??= new TesseraError(
        ErrorCode.STORE_UNAVAILABLE,
        `the disk failed to fdatasync log positions ${from}-${to}, again after rewriting them: appends are refused until the broker restarts and recovers the log (${(error as Error)?.message ?? error})`,
      );
      this.logger.error({ err: error, first: cause, from, to }, 'commitlog fenced: the disk keeps failing fdatasync');
      for (const batch of batches) {
        for (const waiter of batch.waiters) waiter.reject(this.fenced);
        this.release(batch);
      }
    }
  }

  private async flushWritten(): Promise<void> {
    const upTo = this.writtenOffset;
    const segments = [...this.segmentsToSync];
    this.segmentsToSync.clear();
    try {
      await this.timedSync(segments, upTo - this.flushedOffset);
      this.flushedOffset = Math.max(this.flushedOffset, upTo);
    } catch (error) {
      for (const segment of segments) this.segmentsToSync.add(segment);
      this.logger.error({ err: error }, 'commitlog fsync failed');
    }
  }

  /** Resolves once everything appended before the call has been written (or refused). */
  async barrier(): Promise<void> {
    const last = this.staged.waiters.length > 0 ? this.staged : (this.ready[this.ready.length - 1] ?? this.inFlight[this.inFlight.length - 1]);
    await last?.done;
  }

  /** Resolves once the writer is idle; bounded, since appends may keep arriving. */
  async drain(): Promise<void> {
    for (let round = 0; round < 10_000 && (this.writing || this.syncing || this.staged.waiters.length > 0); round++) {
      await this.barrier();
      if (this.writing) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private newBatch(): Batch {
    let markDone!: () => void;
    const done = new Promise<void>((resolve) => (markDone = resolve));
    return {
      startPosition: this.nextPosition,
      endPosition: this.nextPosition,
      regions: [],
      chunks: [],
      waiters: [],
      readers: [],
      published: false,
      queues: new Set(),
      queueEnds: [],
      entryCount: 0,
      keys: undefined,
      sliceChunk: undefined,
      sliceStart: 0,
      sliceEnd: 0,
      done,
      markDone,
    };
  }
}

/** Ends the batch's open slice: its bytes join the last region's buffers. */
function closeSlice(batch: Batch): void {
  if (!batch.sliceChunk) return;
  const region = batch.regions[batch.regions.length - 1]!;
  region.buffers.push(batch.sliceChunk.subarray(batch.sliceStart, batch.sliceEnd));
  batch.sliceChunk = undefined;
}
