import { runInParallel } from './run-in-parallel';

describe('runInParallel', () => {
  it('runs every index once, never more than the concurrency at a time', async () => {
    const seen: number[] = [];
    let running = 0;
    let peak = 0;
    await runInParallel(20, 3, async (index) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(index);
      running--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  });

  it('stops taking work and rejects after a failure', async () => {
    const started: number[] = [];
    await expect(
      runInParallel(100, 2, async (index) => {
        started.push(index);
        if (index === 3) throw new Error('broker said no');
        await new Promise((resolve) => setImmediate(resolve));
      }),
    ).rejects.toThrow('broker said no');
    expect(started.length).toBeLessThan(10);
  });
});
