import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { randomFillSync } from 'node:crypto';

const CHUNK_BYTES = 1024 * 1024;
/** Bounds the file whatever the disk's speed. */
const MAX_FILE_BYTES = 8 * 1024 * 1024 * 1024;
const MESSAGE_BYTES = 1024;

export interface DiskCeiling {
  chunkBytes: number;
  bytesWritten: number;
  seconds: number;
  mbPerSec: number;
  /** The same rate in 1 KiB messages, ignoring record headers: what a broker could at best ack. */
  equivalentMsgsPerSec: number;
}

/**
 * The disk's fdatasync'd sequential write rate in `dir`: 1 MiB chunks, each made durable before
 * the next, like a SYNC broker's group commit with large groups.
 */
export function measureDiskCeiling(dir: string, durationMs: number): DiskCeiling {
  const file = join(dir, 'disk-ceiling.bin');
  const chunk = randomFillSync(Buffer.allocUnsafe(CHUNK_BYTES));
  const fd = openSync(file, 'w');
  let bytesWritten = 0;
  const startedAt = process.hrtime.bigint();
  const deadline = startedAt + BigInt(durationMs) * 1_000_000n;
  try {
    while (process.hrtime.bigint() < deadline && bytesWritten < MAX_FILE_BYTES) {
      for (let written = 0; written < CHUNK_BYTES; ) written += writeSync(fd, chunk, written);
      fdatasyncSync(fd);
      bytesWritten += CHUNK_BYTES;
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  return {
    chunkBytes: CHUNK_BYTES,
    bytesWritten,
    seconds,
    mbPerSec: bytesWritten / 1e6 / seconds,
    equivalentMsgsPerSec: bytesWritten / MESSAGE_BYTES / seconds,
  };
}
