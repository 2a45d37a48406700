/** An item of a DeadlineHeap: the heap keeps `heapIndex` up to date (-1 when the item is not in it). */
export interface Deadline {
  dueAt: number;
  heapIndex: number;
}

/**
 * A binary min-heap on `dueAt` whose items know their own position, so removing or rescheduling
 * one (an ack, a lease extension) costs O(log n) instead of leaving a stale entry behind.
 */
export class DeadlineHeap<T extends Deadline> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    item.heapIndex = this.items.length;
    this.items.push(item);
    this.siftUp(item.heapIndex);
  }

  /** Removes and returns the earliest item. */
  pop(): T | undefined {
    const first = this.items[0];
    if (first) this.remove(first);
    return first;
  }

  remove(item: T): void {
    const index = item.heapIndex;
    if (index < 0 || this.items[index] !== item) return;
    const last = this.items.pop()!;
    item.heapIndex = -1;
    if (last === item) return;
    this.items[index] = last;
    last.heapIndex = index;
    this.siftDown(index);
    this.siftUp(last.heapIndex);
  }

  /** Moves an item to a new due time, adding it if it was not in the heap. */
  reschedule(item: T, dueAt: number): void {
    item.dueAt = dueAt;
    if (item.heapIndex < 0 || this.items[item.heapIndex] !== item) {
      this.push(item);
      return;
    }
    this.siftDown(item.heapIndex);
    this.siftUp(item.heapIndex);
  }

  private siftUp(index: number): void {
    const item = this.items[index]!;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = this.items[parentIndex]!;
      if (parent.dueAt <= item.dueAt) break;
      this.place(parent, index);
      index = parentIndex;
    }
    this.place(item, index);
  }

  private siftDown(index: number): void {
    const item = this.items[index]!;
    const count = this.items.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= count) break;
      const right = left + 1;
      const child = right < count && this.items[right]!.dueAt < this.items[left]!.dueAt ? right : left;
      if (this.items[child]!.dueAt >= item.dueAt) break;
      this.place(this.items[child]!, index);
      index = child;
    }
    this.place(item, index);
  }

  private place(item: T, index: number): void {
    this.items[index] = item;
    item.heapIndex = index;
  }
}
