import { DeadlineHeap, type Deadline } from './deadline-heap';

interface Item extends Deadline {
  name: string;
}

const item = (name: string, dueAt: number): Item => ({ name, dueAt, heapIndex: -1 });

function drain(heap: DeadlineHeap<Item>): string[] {
  const names: string[] = [];
  for (let item = heap.pop(); item; item = heap.pop()) names.push(item.name);
  return names;
}

describe('DeadlineHeap', () => {
  it('pops items earliest first', () => {
    const heap = new DeadlineHeap<Item>();
    for (const [name, dueAt] of [['c', 30], ['a', 10], ['e', 50], ['b', 20], ['d', 40]] as const) heap.push(item(name, dueAt));
    expect(heap.peek()?.name).toBe('a');
    expect(drain(heap)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(heap.size).toBe(0);
  });

  it('removes and reschedules items in place, and ignores an item it does not hold', () => {
    const heap = new DeadlineHeap<Item>();
    const items = Array.from({ length: 8 }, (_, i) => item(`i${i}`, i * 10));
    for (const it of items) heap.push(it);
    heap.remove(items[0]!);
    heap.remove(items[5]!);
    heap.remove(items[5]!);
    heap.remove(item('stranger', 1));
    heap.reschedule(items[7]!, 1);
    heap.reschedule(items[1]!, 100);
    heap.reschedule(items[0]!, 55);
    expect(items[5]!.heapIndex).toBe(-1);
    expect(drain(heap)).toEqual(['i7', 'i2', 'i3', 'i4', 'i0', 'i6', 'i1']);
  });

  it('stays ordered under many random pushes, removals and reschedules', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const heap = new DeadlineHeap<Item>();
    const live = new Set<Item>();
    for (let i = 0; i < 2000; i++) {
      const roll = random();
      const pick = [...live][Math.floor(random() * live.size)];
      if (roll < 0.5 || !pick) {
        const added = item(`n${i}`, Math.floor(random() * 1000));
        heap.push(added);
        live.add(added);
      } else if (roll < 0.75) {
        heap.remove(pick);
        live.delete(pick);
      } else {
        heap.reschedule(pick, Math.floor(random() * 1000));
      }
    }
    const dueTimes: number[] = [];
    for (let it = heap.pop(); it; it = heap.pop()) dueTimes.push(it.dueAt);
    expect(dueTimes).toHaveLength(live.size);
    expect(dueTimes).toEqual([...dueTimes].sort((a, b) => a - b));
  });
});
