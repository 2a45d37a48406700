import { readFileSync } from 'node:fs';

/**
 * How long a thread has waited, runnable, for a CPU (Linux /proc/<pid>/task/<tid>/schedstat, its
 * second field, in ns), and in how many timeslices it ran. Undefined where there is no schedstat.
 */
export function readRunQueueWait(pid: number, tid = pid): { waitMs: number; timeslices: number } | undefined {
  try {
    const [, waitNs, timeslices] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return { waitMs: waitNs! / 1e6, timeslices: timeslices! };
  } catch {
    return undefined;
  }
}
