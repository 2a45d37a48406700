import { TimerHeap } from './timer-heap';

describe('TimerHeap', () => {
  function drain(heap: TimerHeap): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    while (heap.size > 0) {
      out.push([heap.topFireAt, heap.topOffset]);
      heap.pop();
    }
    return out;
  }

  it('pops entries by fire time, then by offset', () => {
    const heap = new TimerHeap();
    for (const [fireAt, offset] of [[30, 1], [10, 7], [20, 2], [10, 3], [30, 0]] as const) heap.push(fireAt, offset);
    expect(drain(heap)).toEqual([[10, 3], [10, 7], [20, 2], [30, 0], [30, 1]]);
    expect(heap.topFireAt).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps the order through growth, interleaved pops, and shrinking', () => {
    const heap = new TimerHeap();
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const expected: Array<[number, number]> = [];
    for (let i = 0; i < 50_000; i++) {
      const entry: [number, number] = [Math.floor(random() * 1000), i];
      heap.push(...entry);
      expected.push(entry);
    }
    expected.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const firstHalf: Array<[number, number]> = [];
    for (let i = 0; i < 25_000; i++) {
      firstHalf.push([heap.topFireAt, heap.topOffset]);
      heap.pop();
    }
    heap.push(-1, 5);
    expect(heap.topFireAt).toBe(-1);
    heap.pop();
    expect([...firstHalf, ...drain(heap)]).toEqual(expected);
  });
});
