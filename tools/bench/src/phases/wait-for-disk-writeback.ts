import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const QUIET_BYTES = 64 * 1024 * 1024;

/**
 * Flushes what earlier phases left in the page cache and waits (up to `timeoutMs`) until the
 * kernel's writeback is done, so a latency phase measures the broker rather than the disk still
 * absorbing gigabytes written by the phases before it. Returns the ms it took.
 */
export async function waitForDiskWriteback(timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  execFileSync('sync');
  while (Date.now() - startedAt < timeoutMs && pendingWritebackBytes() > QUIET_BYTES) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return Date.now() - startedAt;
}

function pendingWritebackBytes(): number {
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(meminfo)?.[1] ?? 0);
  return (kib('Dirty') + kib('Writeback')) * 1024;
}
