import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileOpener } from './file-opener';
import { parseSegmentFileName, segmentFileName } from './segment-file-name';

interface Segment {
  start: number;
  path: string;
  handle: FileHandle;
  /** Bytes the file holds. */
  size: number;
}

/** Bytes to put at one log position: one positioned writev into the segment that starts at `segmentStart`. */
export interface WriteRegion {
  segmentStart: number;
  position: number;
  buffers: Buffer[];
  bytes: number;
}

/**
 * The commitlog's segment files: fixed-capacity files named by their start offset, a record at
 * file position `offset - start`. Positioned async I/O only (libuv threadpool); never blocks the loop.
 */
export class CommitLog {
  private readonly segments: Segment[] = [];

  constructor(
    private readonly dir: string,
    readonly segmentBytes: number,
    private readonly openFile: FileOpener,
  ) {}

  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const starts = (await readdir(this.dir))
      .map(parseSegmentFileName)
      .filter((start): start is number => start !== undefined)
      .sort((a, b) => a - b);
    for (const start of starts) {
      const path = join(this.dir, segmentFileName(start));
      const handle = await this.openFile(path, 'r+');
      this.segments.push({ start, path, handle, size: (await handle.stat()).size });
    }
  }

  async close(): Promise<void> {
    for (const segment of this.segments.splice(0)) await segment.handle.close();
  }

  /** The first offset the log still holds (0 for an empty log). */
  get startOffset(): number {
    return this.segments[0]?.start ?? 0;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  get lastSegmentStart(): number | undefined {
    return this.segments[this.segments.length - 1]?.start;
  }

  get fileBytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.size;
    return total;
  }

  segmentStartFor(offset: number): number {
    return offset - (offset % this.segmentBytes);
  }

  segmentStarts(): number[] {
    return this.segments.map((segment) => segment.start);
  }

  /** The segment's size on disk (bytes written to it so far). */
  segmentSize(start: number): number {
    return this.find(start)?.size ?? 0;
  }

  async write(region: WriteRegion): Promise<void> {
    const segment = this.find(region.segmentStart) ?? (await this.createSegment(region.segmentStart));
    const filePosition = region.position - segment.start;
    const { bytesWritten } = await segment.handle.writev(region.buffers, filePosition);
    if (bytesWritten !== region.bytes) {
      throw Object.assign(new Error(`short write: ${bytesWritten} of ${region.bytes} bytes`), { code: 'EIO' });
    }
    segment.size = Math.max(segment.size, filePosition + bytesWritten);
  }

  async sync(segmentStarts: Iterable<number>): Promise<void> {
    const syncs: Promise<void>[] = [];
    for (const start of segmentStarts) {
      const segment = this.find(start);
      if (segment) syncs.push(segment.handle.datasync());
    }
    await Promise.all(syncs);
  }

  /** Up to `length` bytes from `offset`, never past the end of its segment; fewer at the end of the file. */
  async read(offset: number, length: number, into?: Buffer): Promise<Buffer> {
    const segment = this.find(this.segmentStartFor(offset));
    if (!segment) return Buffer.alloc(0);
    const filePosition = offset - segment.start;
    const wanted = Math.max(0, Math.min(length, segment.size - filePosition, this.segmentBytes - filePosition));
    const buffer = into && into.length >= wanted ? into : Buffer.allocUnsafe(wanted);
    if (wanted === 0) return buffer.subarray(0, 0);
    const { bytesRead } = await segment.handle.read(buffer, 0, wanted, filePosition);
    return buffer.subarray(0, bytesRead);
  }

  /** Cuts the log at `offset`: the containing segment is shortened, later segments deleted. */
  async truncate(offset: number): Promise<void> {
    while (this.segments.length > 0) {
      const last = this.segments[this.segments.length - 1]!;
      if (last.start < offset || (last.start === offset && this.segments.length === 1)) break;
      this.segments.pop();
      await last.handle.close();
      await unlink(last.path);
    }
    const segment = this.find(this.segmentStartFor(offset));
    // Unconditional: a failed write may have left bytes past the size this object knows.
    if (segment) {
      await segment.handle.truncate(offset - segment.start);
      await segment.handle.datasync();
      segment.size = offset - segment.start;
    }
  }

  /** When the segment was last written: its newest record is no newer. */
  async segmentModifiedAt(start: number): Promise<number> {
    const segment = this.find(start);
    return segment ? (await stat(segment.path)).mtimeMs : 0;
  }

  /** Deletes the oldest segment; returns its size. */
  async deleteOldestSegment(): Promise<number> {
    const oldest = this.segments.shift();
    if (!oldest) return 0;
    await oldest.handle.close();
    await unlink(oldest.path);
    return oldest.size;
  }

  private find(start: number): Segment | undefined {
    // Segments are few and usually the last one is wanted: scan from the end.
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const segment = this.segments[i]!;
      if (segment.start === start) return segment;
      if (segment.start < start) return undefined;
    }
    return undefined;
  }

  private async createSegment(start: number): Promise<Segment> {
    const path = join(this.dir, segmentFileName(start));
    const handle = await this.openFile(path, 'w+');
    // The new file's directory entry must be durable too, or an fsynced record could vanish with it.
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    const segment: Segment = { start, path, handle, size: 0 };
    let index = this.segments.length;
    while (index > 0 && this.segments[index - 1]!.start > start) index--;
    this.segments.splice(index, 0, segment);
    return segment;
  }
}
