import type { TimerBucketStore } from './timer-bucket-store';
import { TimerHeap } from './timer-heap';

/**
 * Which timer entries are in memory: those firing before `loadedUntil` (the bucket holding now
 * plus a little look-ahead) are in the heap; later ones only in their bucket files, loaded when
 * their bucket comes near. Memory follows one or two buckets, never the whole backlog.
 * Calls must not overlap (the scheduler runs them from one loop).
 */
export class TimerSchedule {
  readonly heap = new TimerHeap();
  private loadedUntilTime = Number.NEGATIVE_INFINITY;
  /** Buckets with a file that are not loaded yet, oldest first. */
  private pending: number[] = [];
  /** Loaded buckets whose files are kept until every entry in them is handled. */
  private readonly loaded = new Set<number>();

  /** `handled(fireAt, offset)`: entries of bucket files a previous run already handled, left out when loading. */
  constructor(
    private readonly store: TimerBucketStore,
    private readonly handled: (fireAt: number, offset: number) => boolean,
  ) {}

  get loadedUntil(): number {
    return this.loadedUntilTime;
  }

  async open(): Promise<void> {
    this.pending = await this.store.open();
  }

  /** Adds `count` entries: written to their bucket files now (durable at the next sync), into the heap if already due soon. */
  async add(fireAts: Float64Array, offsets: Float64Array, count: number): Promise<void> {
    const byBucket = new Map<number, number[]>();
    for (let i = 0; i < count; i++) {
      const bucket = this.store.bucketOf(fireAts[i]!);
      const indexes = byBucket.get(bucket);
      if (indexes) indexes.push(i);
      else byBucket.set(bucket, [i]);
    }
    for (const [bucket, indexes] of byBucket) await this.store.append(bucket, fireAts, offsets, indexes);
    // Only once every file has them: a failed add is retried whole, and the heap must not get an entry twice.
    for (const [bucket, indexes] of byBucket) {
      if (bucket < this.loadedUntilTime) {
        this.loaded.add(bucket);
        for (const i of indexes) this.heap.push(fireAts[i]!, offsets[i]!);
      } else {
        this.addPending(bucket);
      }
    }
  }

  /** Loads every bucket that starts before the end of the bucket holding `time`. */
  async loadUntil(time: number): Promise<void> {
    const until = this.store.bucketOf(time) + this.store.bucketMs;
    if (until <= this.loadedUntilTime) return;
    while (this.pending.length > 0 && this.pending[0]! < until) {
      const bucket = this.pending[0]!;
      const fireAts: number[] = [];
      const offsets: number[] = [];
      await this.store.load(bucket, (fireAt, offset) => {
        if (this.handled(fireAt, offset)) return;
        fireAts.push(fireAt);
        offsets.push(offset);
      });
      // Only once the whole file is read: a failed load is retried whole.
      this.pending.shift();
      for (let i = 0; i < fireAts.length; i++) this.heap.push(fireAts[i]!, offsets[i]!);
      this.loaded.add(bucket);
    }
    this.loadedUntilTime = until;
  }

  /** Deletes the files of loaded buckets that end at or before `handledBefore`: every entry in them is handled. */
  async removeHandled(handledBefore: number): Promise<void> {
    for (const bucket of this.loaded) {
      if (bucket + this.store.bucketMs > handledBefore) continue;
      await this.store.remove(bucket);
      this.loaded.delete(bucket);
    }
  }

  private addPending(bucket: number): void {
    let low = 0;
    let high = this.pending.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.pending[middle]! < bucket) low = middle + 1;
      else high = middle;
    }
    if (this.pending[low] !== bucket) this.pending.splice(low, 0, bucket);
  }
}
