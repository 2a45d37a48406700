import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/** An entry: fire time (float64 ms since epoch) and delay-topic offset (float64), little-endian. */
const ENTRY_BYTES = 16;
const BUCKET_FILE = /^\d{1,16}$/;

/**
 * The timer index on disk: one append-only file per `bucketMs` of fire time, named by the
 * bucket's start, holding fixed-size entries in arrival order. Appends are written at once and
 * made durable by `sync()`, which the scheduler calls before it records how far the index goes.
 */
export class TimerBucketStore {
  private readonly existing = new Set<number>();
  private readonly unsynced = new Set<number>();
  private createdSinceSync = false;

  constructor(
    private readonly dir: string,
    readonly bucketMs: number,
  ) {}

  bucketOf(fireAt: number): number {
    return Math.floor(fireAt / this.bucketMs) * this.bucketMs;
  }

  /** Creates the directory if needed; returns the buckets that have a file, oldest first. */
  async open(): Promise<number[]> {
    await mkdir(this.dir, { recursive: true });
    for (const name of await readdir(this.dir)) if (BUCKET_FILE.test(name)) this.existing.add(Number(name));
    return [...this.existing].sort((a, b) => a - b);
  }

  /** Appends the entries at `indexes` of the two arrays to the bucket's file, creating it if needed. */
  async append(bucket: number, fireAts: Float64Array, offsets: Float64Array, indexes: readonly number[]): Promise<void> {
    const bytes = Buffer.allocUnsafe(indexes.length * ENTRY_BYTES);
    for (let i = 0; i < indexes.length; i++) {
      bytes.writeDoubleLE(fireAts[indexes[i]!]!, i * ENTRY_BYTES);
      bytes.writeDoubleLE(offsets[indexes[i]!]!, i * ENTRY_BYTES + 8);
    }
    const file = await open(this.fileOf(bucket), 'a');
    try {
      await file.write(bytes);
    } finally {
      await file.close();
    }
    if (!this.existing.has(bucket)) {
      this.existing.add(bucket);
      this.createdSinceSync = true;
    }
    this.unsynced.add(bucket);
  }

  /** Makes every append so far durable: the files' data, and the directory if files were created. */
  async sync(): Promise<void> {
    const buckets = [...this.unsynced];
    const created = this.createdSinceSync;
    this.unsynced.clear();
    this.createdSinceSync = false;
    try {
      await Promise.all(buckets.map((bucket) => syncFile(this.fileOf(bucket))));
      if (created) await syncFile(this.dir);
    } catch (error) {
      for (const bucket of buckets) this.unsynced.add(bucket);
      this.createdSinceSync ||= created;
      throw error;
    }
  }

  /**
   * Hands each well-formed entry of the bucket's file to `visit`; entries whose fire time lies
   * outside the bucket and a torn entry at the end (a crash mid-append) are skipped.
   */
  async load(bucket: number, visit: (fireAt: number, offset: number) => void): Promise<void> {
    if (!this.existing.has(bucket)) return;
    const bytes = await readFile(this.fileOf(bucket));
    const end = bytes.length - (bytes.length % ENTRY_BYTES);
    for (let at = 0; at < end; at += ENTRY_BYTES) {
      const fireAt = bytes.readDoubleLE(at);
      const offset = bytes.readDoubleLE(at + 8);
      if (fireAt >= bucket && fireAt < bucket + this.bucketMs && Number.isSafeInteger(fireAt) && Number.isSafeInteger(offset) && offset >= 0) {
        visit(fireAt, offset);
      }
    }
  }

  async remove(bucket: number): Promise<void> {
    if (!this.existing.delete(bucket)) return;
    this.unsynced.delete(bucket);
    await unlink(this.fileOf(bucket)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  private fileOf(bucket: number): string {
    return join(this.dir, String(bucket));
  }
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
