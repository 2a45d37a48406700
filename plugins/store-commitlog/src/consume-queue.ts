import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsumeQueueEntry } from './consume-queue-entry';
import { parseSegmentFileName, segmentFileName } from './segment-file-name';

const E = ConsumeQueueEntry.BYTES;

/** Entries staged by appends and not yet written: handed to the writer as one block. */
export interface StagedEntries {
  firstOffset: number;
  count: number;
  buffer: Buffer;
}

/**
 * One topic-queue's index into the commitlog: fixed 24-byte entries in fixed-capacity files named
 * by their first queue offset. Only the files being written keep a handle open; reads of older
 * files open them briefly. Nothing of the queue's backlog is held in memory.
 */
export class ConsumeQueue {
  /** First retained offset. */
  minOffset = 0;
  /** Offsets below this are written and visible to readers. */
  maxOffset = 0;
  /** The offset the next append gets (ahead of maxOffset while a write is in flight). */
  assignedOffset = 0;
  private staging: Buffer = Buffer.allocUnsafe(64 * E);
  private stagedCount = 0;
  private readonly fileStarts: number[] = [];
  private readonly writeHandles = new Map<number, FileHandle>();
  private readonly dirtyFiles = new Set<number>();
  private removed = false;
  private dirReady = false;

  /** `before` settles when the queue's directory may be used (a deletion of the same topic has finished). */
  constructor(
    readonly topic: string,
    readonly queueId: number,
    private readonly dir: string,
    private readonly entriesPerFile: number,
    private readonly before: Promise<unknown> = Promise.resolve(),
  ) {}

  get isEmpty(): boolean {
    return this.assignedOffset === this.minOffset;
  }

  /** Loads the files; entries whose records lie below `logStart` count as gone. */
  async open(logStart: number): Promise<void> {
    await this.ensureDir();
    const starts = (await readdir(this.dir))
      .map(parseSegmentFileName)
      .filter((start): start is number => start !== undefined)
      .sort((a, b) => a - b);
    this.fileStarts.push(...starts);
    if (starts.length === 0) return;
    const lastStart = starts[starts.length - 1]!;
    const handle = await this.handleForWrite(lastStart);
    const entries = Math.floor((await handle.stat()).size / E);
    this.maxOffset = this.assignedOffset = lastStart + entries;
    this.minOffset = starts[0]!;
    await this.trimBelow(logStart);
  }

  async close(): Promise<void> {
    await this.sync();
    for (const handle of this.writeHandles.values()) await handle.close();
    this.writeHandles.clear();
  }

  /** Deletes the queue's files; writes still in flight for it are dropped. */
  async remove(): Promise<void> {
    this.removed = true;
    for (const handle of this.writeHandles.values()) await handle.close();
    this.writeHandles.clear();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** An empty queue that meets its first record at `offset` (its earlier ones aged out) starts there. */
  rebase(offset: number): void {
    if (this.isEmpty) this.minOffset = this.maxOffset = this.assignedOffset = offset;
  }

  /** Records a new entry for the next write; returns its queue offset. */
  stage(logPosition: number, size: number, tagHash: number, storeTimestamp: number): number {
    if ((this.stagedCount + 1) * E > this.staging.length) {
      const larger = Buffer.allocUnsafe(this.staging.length * 2);
      this.staging.copy(larger, 0, 0, this.stagedCount * E);
      this.staging = larger;
    }
    ConsumeQueueEntry.write(this.staging, this.stagedCount * E, logPosition, size, tagHash, storeTimestamp);
    this.stagedCount++;
    return this.assignedOffset++;
  }

  /** Takes what was staged since the last call. */
  detachStaged(): StagedEntries | undefined {
    if (this.stagedCount === 0) return undefined;
    const staged = { firstOffset: this.assignedOffset - this.stagedCount, count: this.stagedCount, buffer: this.staging };
    this.staging = Buffer.allocUnsafe(this.staging.length);
    this.stagedCount = 0;
    return staged;
  }

  /** Writes detached entries: one positioned write per file they fall in. */
  async write(staged: StagedEntries): Promise<void> {
    if (this.removed) return;
    let done = 0;
    while (done < staged.count) {
      const offset = staged.firstOffset + done;
      const fileStart = offset - (offset % this.entriesPerFile);
      const inFile = Math.min(staged.count - done, fileStart + this.entriesPerFile - offset);
      const handle = await this.handleForWrite(fileStart);
      const bytes = inFile * E;
      const { bytesWritten } = await handle.write(staged.buffer, done * E, bytes, (offset - fileStart) * E);
      if (bytesWritten !== bytes) throw Object.assign(new Error('short consume-queue write'), { code: 'EIO' });
      this.dirtyFiles.add(fileStart);
      done += inFile;
    }
  }

  /** Makes `count` more written entries visible to readers. */
  publish(count: number): void {
    this.maxOffset += count;
  }

  /** Forgets entries assigned but never published (their write failed). */
  forgetUnpublished(): void {
    this.assignedOffset = this.maxOffset;
    this.stagedCount = 0;
  }

  /** Cuts from the files what forgetUnpublished dropped. */
  async cutUnpublished(): Promise<void> {
    if (!this.removed) await this.cutFilesAt(this.maxOffset);
  }

  /** Entries [from, from + count) clipped to what is visible, as one buffer (24 bytes each). */
  async readEntries(from: number, count: number): Promise<Buffer> {
    const end = Math.min(this.maxOffset, from + count);
    if (from >= end) return Buffer.alloc(0);
    const result = Buffer.allocUnsafe((end - from) * E);
    let offset = from;
    while (offset < end) {
      const fileStart = offset - (offset % this.entriesPerFile);
      const inFile = Math.min(end - offset, fileStart + this.entriesPerFile - offset);
      await this.readFile(fileStart, result, (offset - from) * E, inFile * E, (offset - fileStart) * E);
      offset += inFile;
    }
    return result;
  }

  /** First offset whose store time is at or after `timestamp`; maxOffset if none. */
  async offsetForTimestamp(timestamp: number): Promise<number> {
    return this.firstWhere(this.minOffset, this.maxOffset, (entry) => ConsumeQueueEntry.storeTimestamp(entry, 0) >= timestamp);
  }

  /**
   * Drops the entries whose records are at or past `logPosition` (the log was cut there), and a
   * zeroed tail (entries an OS crash lost after they were written).
   */
  async truncateFromLogPosition(logPosition: number): Promise<void> {
    const cut = await this.firstWhere(
      this.minOffset,
      this.maxOffset,
      (entry) => ConsumeQueueEntry.size(entry, 0) === 0 || ConsumeQueueEntry.logPosition(entry, 0) >= logPosition,
    );
    if (cut === this.maxOffset) return;
    this.maxOffset = this.assignedOffset = cut;
    await this.cutFilesAt(cut);
  }

  /** Moves minOffset past entries whose records lie below `logStart`; deletes files wholly below it. */
  async trimBelow(logStart: number): Promise<void> {
    this.minOffset = await this.firstWhere(
      this.minOffset,
      this.maxOffset,
      (entry) => ConsumeQueueEntry.size(entry, 0) !== 0 && ConsumeQueueEntry.logPosition(entry, 0) >= logStart,
    );
    while (this.fileStarts.length > 1 && this.fileStarts[1]! <= this.minOffset) {
      const start = this.fileStarts.shift()!;
      await this.writeHandles.get(start)?.close();
      this.writeHandles.delete(start);
      this.dirtyFiles.delete(start);
      await unlink(join(this.dir, segmentFileName(start)));
    }
  }

  /** fsyncs the files written since the last call; closes handles of files no longer written. */
  async sync(): Promise<void> {
    const lastStart = this.fileStarts[this.fileStarts.length - 1];
    for (const start of [...this.dirtyFiles]) {
      this.dirtyFiles.delete(start);
      const handle = this.writeHandles.get(start);
      if (!handle) continue;
      await handle.datasync();
      if (start !== lastStart) {
        this.writeHandles.delete(start);
        await handle.close();
      }
    }
  }

  private async cutFilesAt(offset: number): Promise<void> {
    while (this.fileStarts.length > 0 && this.fileStarts[this.fileStarts.length - 1]! >= offset && this.fileStarts.length > 1) {
      const start = this.fileStarts.pop()!;
      await this.writeHandles.get(start)?.close();
      this.writeHandles.delete(start);
      this.dirtyFiles.delete(start);
      await unlink(join(this.dir, segmentFileName(start)));
    }
    const lastStart = this.fileStarts[this.fileStarts.length - 1];
    if (lastStart === undefined) return;
    const handle = await this.handleForWrite(lastStart);
    await handle.truncate(Math.max(0, offset - lastStart) * E);
  }

  /** Binary search for the first offset in [low, high) whose entry satisfies a monotone predicate. */
  private async firstWhere(low: number, high: number, predicate: (entry: Buffer) => boolean): Promise<number> {
    const entry = Buffer.allocUnsafe(E);
    let lo = low;
    let hi = high;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const fileStart = mid - (mid % this.entriesPerFile);
      await this.readFile(fileStart, entry, 0, E, (mid - fileStart) * E);
      if (predicate(entry)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private async readFile(fileStart: number, into: Buffer, at: number, bytes: number, position: number): Promise<void> {
    const open = this.writeHandles.get(fileStart);
    const handle = open ?? (await this.openForRead(fileStart));
    try {
      const { bytesRead } = await handle.read(into, at, bytes, position);
      if (bytesRead < bytes) into.fill(0, at + bytesRead, at + bytes);
    } finally {
      if (!open) await handle.close();
    }
  }

  private openForRead(fileStart: number): Promise<FileHandle> {
    return open(join(this.dir, segmentFileName(fileStart)), 'r');
  }

  private async handleForWrite(fileStart: number): Promise<FileHandle> {
    const existing = this.writeHandles.get(fileStart);
    if (existing) return existing;
    await this.ensureDir();
    const handle = await open(join(this.dir, segmentFileName(fileStart)), constants.O_RDWR | constants.O_CREAT);
    this.writeHandles.set(fileStart, handle);
    if (!this.fileStarts.includes(fileStart)) {
      this.fileStarts.push(fileStart);
      this.fileStarts.sort((a, b) => a - b);
    }
    return handle;
  }

  private async ensureDir(): Promise<void> {
    if (this.dirReady) return;
    await this.before.catch(() => undefined);
    await mkdir(this.dir, { recursive: true });
    this.dirReady = true;
  }
}
