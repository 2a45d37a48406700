import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ConsumeQueueEntry } from './consume-queue-entry';
import { parseSegmentFileName, segmentFileName } from './segment-file-name';

const E = ConsumeQueueEntry.BYTES;
const MIN_TAIL_ENTRIES = 256;
/** Unwritten entries one queue may hold before appends wait for the queue-file writes. */
export const MAX_UNWRITTEN_ENTRIES_PER_QUEUE = 65536;

/** Accounting shared by an engine's queues: what their in-memory tails hold. */
export interface TailMemory {
  /** Bytes of all tail buffers. */
  bytes: number;
  /** Entries staged but not yet in the queue files. */
  unwritten: number;
  /** Budget for `unwritten` entries' bytes; past it (or a queue past its own cap) appends wait. */
  limitBytes: number;
  /** Set by `stage` when a limit is passed; the engine then holds appends until the files catch up. */
  pressure: boolean;
}

/**
 * One topic-queue's index into the commitlog: fixed 24-byte entries in fixed-capacity files named
 * by their first queue offset. The newest entries live in an in-memory tail (a ring indexed by
 * offset), so appends never wait for queue-file writes and tailing readers never read the files:
 * entries reach the files later, in one coalesced write per flush. The tail is bounded; older
 * entries are read from the files with positioned reads.
 */
export class ConsumeQueue {
  /** First retained offset. */
  minOffset = 0;
  /** Offsets below this are visible to readers (their appends resolved). */
  maxOffset = 0;
  /** The offset the next append gets (ahead of maxOffset while a write is in flight). */
  assignedOffset = 0;
  /** Offsets below this are in the queue's files. */
  fileOffset = 0;
  private tail: Buffer | undefined;
  private tailEntries = 0;
  /** The first offset the tail ever held since it was allocated (older ones are only in the files). */
  private tailFloor = 0;
  private readonly fileStarts: number[] = [];
  private readonly writeHandles = new Map<number, FileHandle>();
  private readonly dirtyFiles = new Set<number>();
  private removed = false;
  private dirReady = false;
  /** The last flush: flushes of a queue run one after another. */
  private flushing: Promise<void> = Promise.resolve();

  /** `before` settles when the queue's directory may be used (a deletion of the same topic has finished). */
  constructor(
    readonly topic: string,
    readonly queueId: number,
    private readonly dir: string,
    private readonly entriesPerFile: number,
    private readonly memory: TailMemory,
    private readonly before: Promise<unknown> = Promise.resolve(),
  ) {}

  get isEmpty(): boolean {
    return this.assignedOffset === this.minOffset;
  }

  get tailBytes(): number {
    return this.tailEntries * E;
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
    this.maxOffset = this.assignedOffset = this.fileOffset = lastStart + entries;
    this.minOffset = starts[0]!;
    await this.trimBelow(logStart);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.sync();
    for (const handle of this.writeHandles.values()) await handle.close();
    this.writeHandles.clear();
    this.releaseTail();
  }

  /** Deletes the queue's files; writes still in flight for it are dropped. */
  async remove(): Promise<void> {
    this.removed = true;
    this.memory.unwritten -= this.assignedOffset - this.fileOffset;
    this.fileOffset = this.assignedOffset;
    this.releaseTail();
    for (const handle of this.writeHandles.values()) await handle.close();
    this.writeHandles.clear();
    await rm(this.dir, { recursive: true, force: true });
  }

  /** An empty queue that meets its first record at `offset` (its earlier ones aged out) starts there. */
  rebase(offset: number): void {
    if (!this.isEmpty || offset === this.assignedOffset) return;
    this.memory.unwritten -= this.assignedOffset - this.fileOffset;
    this.fileOffset = this.assignedOffset;
    this.releaseTail();
    this.minOffset = this.maxOffset = this.assignedOffset = this.fileOffset = offset;
  }

  /** Records a new entry in the tail; returns its queue offset. */
  stage(logPosition: number, size: number, tagHash: number, storeTimestamp: number): number {
    const offset = this.assignedOffset;
    if (offset + 1 - this.fileOffset > this.tailEntries) this.growTail(offset + 1 - this.fileOffset);
    ConsumeQueueEntry.write(this.tail!, (offset % this.tailEntries) * E, logPosition, size, tagHash, storeTimestamp);
    this.assignedOffset = offset + 1;
    const memory = this.memory;
    memory.unwritten++;
    if (offset + 1 - this.fileOffset > MAX_UNWRITTEN_ENTRIES_PER_QUEUE || memory.unwritten * E > memory.limitBytes) memory.pressure = true;
    return offset;
  }

  /** Makes entries below `offset` visible to readers. */
  publishTo(offset: number): void {
    if (offset > this.maxOffset) this.maxOffset = offset;
  }

  /** Forgets entries assigned but never published (their write failed). */
  forgetUnpublished(): void {
    this.memory.unwritten -= this.assignedOffset - this.maxOffset;
    this.assignedOffset = this.maxOffset;
  }

  /** Writes the visible entries not yet in the files: one write per file they fall in (normally one). */
  flush(): Promise<void> {
    const run = this.flushing.catch(() => undefined).then(() => this.writeVisible());
    this.flushing = run;
    return run;
  }

  private async writeVisible(): Promise<void> {
    const end = this.maxOffset;
    while (this.fileOffset < end && !this.removed) {
      const offset = this.fileOffset;
      const fileStart = offset - (offset % this.entriesPerFile);
      const inFile = Math.min(end - offset, fileStart + this.entriesPerFile - offset);
      const handle = await this.handleForWrite(fileStart);
      if (this.removed) return;
      const buffers = this.tailViews(offset, inFile);
      const { bytesWritten } = await handle.writev(buffers, (offset - fileStart) * E);
      if (bytesWritten !== inFile * E) throw Object.assign(new Error('short consume-queue write'), { code: 'EIO' });
      if (this.removed) return;
      this.dirtyFiles.add(fileStart);
      this.fileOffset = offset + inFile;
      this.memory.unwritten -= inFile;
    }
  }

  /** Frees the tail if every entry in it is in the files; readers then use the files. Returns the bytes freed. */
  releaseTail(): number {
    if (!this.tail || this.assignedOffset !== this.fileOffset) return 0;
    const freed = this.tailEntries * E;
    this.memory.bytes -= freed;
    this.tail = undefined;
    this.tailEntries = 0;
    return freed;
  }

  /** Entries [from, from + count) clipped to what is visible, as one buffer (24 bytes each). */
  async readEntries(from: number, count: number): Promise<Buffer> {
    const end = Math.min(this.maxOffset, from + count);
    if (from >= end) return Buffer.alloc(0);
    const result = Buffer.allocUnsafe((end - from) * E);
    // The tail part is copied before any await: the ring may move on while the files are read.
    const tailLow = this.tail ? Math.max(this.tailFloor, this.assignedOffset - this.tailEntries) : this.fileOffset;
    const fromTail = Math.max(from, tailLow);
    if (fromTail < end) {
      let at = (fromTail - from) * E;
      for (const view of this.tailViews(fromTail, end - fromTail)) at += view.copy(result, at);
    }
    let offset = from;
    const fileEnd = Math.min(end, tailLow);
    while (offset < fileEnd) {
      const fileStart = offset - (offset % this.entriesPerFile);
      const inFile = Math.min(fileEnd - offset, fileStart + this.entriesPerFile - offset);
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
    await this.flush();
    this.releaseTail();
    const cut = await this.firstWhere(
      this.minOffset,
      this.maxOffset,
      (entry) => ConsumeQueueEntry.size(entry, 0) === 0 || ConsumeQueueEntry.logPosition(entry, 0) >= logPosition,
    );
    if (cut === this.maxOffset) return;
    this.maxOffset = this.assignedOffset = this.fileOffset = cut;
    await this.cutFilesAt(cut);
  }

  /** Moves minOffset past entries whose records lie below `logStart`; deletes files wholly below it. */
  async trimBelow(logStart: number): Promise<void> {
    await this.flush();
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
    let lo = low;
    let hi = high;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (predicate(await this.readEntries(mid, 1))) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Views of the tail holding entries [offset, offset + count): two when they wrap around the ring. */
  private tailViews(offset: number, count: number): Buffer[] {
    const tail = this.tail!;
    const at = (offset % this.tailEntries) * E;
    const bytes = count * E;
    if (at + bytes <= tail.length) return [tail.subarray(at, at + bytes)];
    return [tail.subarray(at), tail.subarray(0, at + bytes - tail.length)];
  }

  /** Makes room for `needed` entries past fileOffset, keeping the entries the tail holds. */
  private growTail(needed: number): void {
    let entries = Math.max(MIN_TAIL_ENTRIES, this.tailEntries);
    while (entries < needed) entries *= 2;
    const grown = Buffer.allocUnsafe(entries * E);
    if (this.tail) {
      const low = Math.max(this.tailFloor, this.assignedOffset - this.tailEntries);
      for (let offset = low; offset < this.assignedOffset; ) {
        const from = offset % this.tailEntries;
        const to = offset % entries;
        const run = Math.min(this.assignedOffset - offset, this.tailEntries - from, entries - to);
        this.tail.copy(grown, to * E, from * E, (from + run) * E);
        offset += run;
      }
      this.tailFloor = low;
    } else {
      this.tailFloor = this.fileOffset;
    }
    this.memory.bytes += (entries - this.tailEntries) * E;
    this.tail = grown;
    this.tailEntries = entries;
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
