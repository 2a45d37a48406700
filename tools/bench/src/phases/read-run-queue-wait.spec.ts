import { existsSync } from 'node:fs';
import { readRunQueueWait } from './read-run-queue-wait';

describe('readRunQueueWait', () => {
  const linux = existsSync(`/proc/${process.pid}/task/${process.pid}/schedstat`);

  (linux ? it : it.skip)("reads this process' main thread: timeslices grow as it runs", async () => {
    const before = readRunQueueWait(process.pid)!;
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 1));
    const after = readRunQueueWait(process.pid)!;
    expect(after.timeslices).toBeGreaterThan(before.timeslices);
    expect(after.waitMs).toBeGreaterThanOrEqual(before.waitMs);
  });

  it('is undefined for a process that does not exist', () => {
    expect(readRunQueueWait(2 ** 22 + 1)).toBeUndefined();
  });
});
