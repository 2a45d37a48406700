const INITIAL_CAPACITY = 1024;

/**
 * A min-heap of timer entries (fire time, delay-topic offset), ordered by fire time then offset,
 * kept in two typed arrays: no object per entry. It shrinks again once mostly empty.
 */
export class TimerHeap {
  private fireAts = new Float64Array(INITIAL_CAPACITY);
  private offsets = new Float64Array(INITIAL_CAPACITY);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The smallest entry's fire time; Infinity when empty. */
  get topFireAt(): number {
    return this.count > 0 ? this.fireAts[0]! : Number.POSITIVE_INFINITY;
  }

  /** The smallest entry's offset; Infinity when empty. */
  get topOffset(): number {
    return this.count > 0 ? this.offsets[0]! : Number.POSITIVE_INFINITY;
  }

  push(fireAt: number, offset: number): void {
    if (this.count === this.fireAts.length) this.resize(this.count * 2);
    let index = this.count++;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(fireAt, offset, this.fireAts[parent]!, this.offsets[parent]!)) break;
      this.fireAts[index] = this.fireAts[parent]!;
      this.offsets[index] = this.offsets[parent]!;
      index = parent;
    }
    this.fireAts[index] = fireAt;
    this.offsets[index] = offset;
  }

  /** Removes the smallest entry; read it first with topFireAt / topOffset. */
  pop(): void {
    if (this.count === 0) return;
    const last = --this.count;
    const fireAt = this.fireAts[last]!;
    const offset = this.offsets[last]!;
    let index = 0;
    for (;;) {
      let child = 2 * index + 1;
      if (child >= last) break;
      if (child + 1 < last && this.less(this.fireAts[child + 1]!, this.offsets[child + 1]!, this.fireAts[child]!, this.offsets[child]!)) child++;
      if (!this.less(this.fireAts[child]!, this.offsets[child]!, fireAt, offset)) break;
      this.fireAts[index] = this.fireAts[child]!;
      this.offsets[index] = this.offsets[child]!;
      index = child;
    }
    this.fireAts[index] = fireAt;
    this.offsets[index] = offset;
    if (this.fireAts.length > INITIAL_CAPACITY && this.count < this.fireAts.length / 4) this.resize(this.fireAts.length / 2);
  }

  private less(fireAtA: number, offsetA: number, fireAtB: number, offsetB: number): boolean {
    return fireAtA < fireAtB || (fireAtA === fireAtB && offsetA < offsetB);
  }

  private resize(capacity: number): void {
    const fireAts = new Float64Array(capacity);
    const offsets = new Float64Array(capacity);
    fireAts.set(this.fireAts.subarray(0, this.count));
    offsets.set(this.offsets.subarray(0, this.count));
    this.fireAts = fireAts;
    this.offsets = offsets;
  }
}
