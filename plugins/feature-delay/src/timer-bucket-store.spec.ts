import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimerBucketStore } from './timer-bucket-store';

describe('TimerBucketStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'tessera-delay-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function loaded(store: TimerBucketStore, bucket: number): Promise<Array<[number, number]>> {
    const entries: Array<[number, number]> = [];
    await store.load(bucket, (fireAt, offset) => entries.push([fireAt, offset]));
    return entries;
  }

  it('keeps entries in one file per bucket, in arrival order, across reopening', async () => {
    const store = new TimerBucketStore(join(dir, 'buckets'), 1000);
    expect(await store.open()).toEqual([]);
    const fireAts = Float64Array.from([5500, 1200, 5999, 1000]);
    const offsets = Float64Array.from([0, 1, 2, 3]);
    await store.append(store.bucketOf(5500), fireAts, offsets, [0, 2]);
    await store.append(store.bucketOf(1200), fireAts, offsets, [1, 3]);
    await store.sync();
    expect(readdirSync(join(dir, 'buckets')).sort()).toEqual(['1000', '5000']);
    expect(statSync(join(dir, 'buckets', '5000')).size).toBe(32);

    const reopened = new TimerBucketStore(join(dir, 'buckets'), 1000);
    expect(await reopened.open()).toEqual([1000, 5000]);
    expect(await loaded(reopened, 5000)).toEqual([[5500, 0], [5999, 2]]);
    expect(await loaded(reopened, 1000)).toEqual([[1200, 1], [1000, 3]]);
    expect(await loaded(reopened, 9000)).toEqual([]);
  });

  it('skips a torn entry at the end and entries that do not belong to the bucket', async () => {
    const store = new TimerBucketStore(dir, 1000);
    await store.open();
    await store.append(2000, Float64Array.from([2500, 7000, 2600]), Float64Array.from([1, 2, 3]), [0, 1, 2]);
    appendFileSync(join(dir, '2000'), Buffer.alloc(16));
    appendFileSync(join(dir, '2000'), Buffer.alloc(9, 0xff));
    expect(await loaded(store, 2000)).toEqual([[2500, 1], [2600, 3]]);
  });

  it('deletes a bucket file', async () => {
    const store = new TimerBucketStore(dir, 1000);
    await store.open();
    await store.append(3000, Float64Array.from([3100]), Float64Array.from([0]), [0]);
    await store.remove(3000);
    await store.sync();
    expect(readdirSync(dir)).toEqual([]);
    expect(await loaded(store, 3000)).toEqual([]);
  });
});
