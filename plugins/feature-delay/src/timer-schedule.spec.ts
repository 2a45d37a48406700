import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimerBucketStore } from './timer-bucket-store';
import { TimerSchedule } from './timer-schedule';

describe('TimerSchedule', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tessera-delay-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function drain(schedule: TimerSchedule): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    while (schedule.heap.size > 0) {
      out.push([schedule.heap.topFireAt, schedule.heap.topOffset]);
      schedule.heap.pop();
    }
    return out;
  }

  async function add(schedule: TimerSchedule, entries: Array<[number, number]>): Promise<void> {
    await schedule.add(Float64Array.from(entries.map((e) => e[0])), Float64Array.from(entries.map((e) => e[1])), entries.length);
  }

  it('holds in memory only the buckets that come due, loading the next ones as time passes', async () => {
    const schedule = new TimerSchedule(new TimerBucketStore(dir, 1000), () => false);
    await schedule.open();
    const entries: Array<[number, number]> = Array.from({ length: 10_000 }, (_, i) => [(i * 7919) % 100_000, i]);
    await add(schedule, entries);
    expect(schedule.heap.size).toBe(0);

    await schedule.loadUntil(2_500);
    expect(schedule.loadedUntil).toBe(3_000);
    const firstBuckets = entries.filter(([fireAt]) => fireAt < 3_000).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(firstBuckets.length).toBeGreaterThan(250);
    expect(drain(schedule)).toEqual(firstBuckets);

    // Arriving for a loaded bucket: straight into the heap (and its file); for a later one: its file only.
    await add(schedule, [[1_500, 20_000], [3_500, 20_001]]);
    expect(drain(schedule)).toEqual([[1_500, 20_000]]);
    await schedule.loadUntil(3_000);
    expect(drain(schedule).filter(([, offset]) => offset >= 20_000)).toEqual([[3_500, 20_001]]);
  });

  it('leaves out entries a previous run handled, and deletes files whose entries are all handled', async () => {
    const store = new TimerBucketStore(dir, 1000);
    const first = new TimerSchedule(store, () => false);
    await first.open();
    await add(first, [[500, 0], [1_500, 1], [1_600, 2], [2_500, 3]]);
    await store.sync();

    const handled = (fireAt: number, offset: number) => offset < 3 && fireAt < 1_600;
    const second = new TimerSchedule(new TimerBucketStore(dir, 1000), handled);
    await second.open();
    await second.loadUntil(2_000);
    expect(drain(second)).toEqual([[1_600, 2], [2_500, 3]]);
    await second.removeHandled(1_600);
    expect(readdirSync(dir).sort()).toEqual(['1000', '2000']);
    await second.removeHandled(2_000);
    expect(readdirSync(dir).sort()).toEqual(['2000']);
  });
});
