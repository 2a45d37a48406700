import { CoalescedTask } from './coalesced-task';

describe('CoalescedTask', () => {
  it('runs once at a time and shares one follow-up run among the calls made meanwhile', async () => {
    const finishers: Array<() => void> = [];
    let started = 0;
    const task = new CoalescedTask(() => {
      started++;
      return new Promise<void>((resolve) => finishers.push(resolve));
    });
    const first = task.run();
    const second = task.run();
    const third = task.run();
    expect(second).toBe(third);
    expect(started).toBe(1);
    finishers[0]!();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toBe(2);
    finishers[1]!();
    await second;
    expect(started).toBe(2);
  });

  it('starts a queued run even when the running one failed, and reports each run to its own callers', async () => {
    let calls = 0;
    const task = new CoalescedTask(async () => {
      calls++;
      await new Promise((resolve) => setImmediate(resolve));
      if (calls === 1) throw new Error('first failed');
    });
    const first = task.run();
    const second = task.run();
    await expect(first).rejects.toThrow('first failed');
    await expect(second).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
