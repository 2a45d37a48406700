/**
 * The newest published log bytes, in a ring of fixed capacity indexed by log position, so a
 * tailing consumer is served without a positioned read. Bytes enter only once their append has
 * resolved; the ring is allocated at the first use. Gaps (the unwritten end of a segment after
 * its end marker) hold stale bytes, but no record lives there.
 */
export class RecentLogCache {
  private ring: Buffer | undefined;
  /** The cache holds log positions [start, end). */
  private start = 0;
  private end = 0;

  constructor(private readonly capacity: number) {}

  /** Empties the cache; the next bytes added start it at their position. */
  reset(position: number): void {
    this.start = this.end = position;
  }

  /** Caches published bytes at `position`; positions only grow. */
  add(position: number, bytes: Buffer): void {
    const capacity = this.capacity;
    if (capacity === 0 || bytes.length === 0) return;
    if (position < this.end || position - this.end >= capacity) this.start = position;
    this.ring ??= Buffer.allocUnsafeSlow(capacity);
    const kept = bytes.length > capacity ? bytes.subarray(bytes.length - capacity) : bytes;
    const keptFrom = position + bytes.length - kept.length;
    const at = keptFrom % capacity;
    const first = kept.copy(this.ring, at, 0, Math.min(kept.length, capacity - at));
    if (first < kept.length) kept.copy(this.ring, 0, first);
    this.end = position + bytes.length;
    this.start = Math.max(this.start, this.end - capacity);
  }

  /** A copy of log bytes [position, position + length), or undefined unless all of them are cached. */
  copy(position: number, length: number): Buffer | undefined {
    if (position < this.start || position + length > this.end || !this.ring) return undefined;
    const out = Buffer.allocUnsafe(length);
    const at = position % this.capacity;
    const first = this.ring.copy(out, 0, at, Math.min(this.capacity, at + length));
    if (first < length) this.ring.copy(out, first, 0, length - first);
    return out;
  }
}
