import { mkdtempSync, rmSync, truncateSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsumeQueue, MAX_UNWRITTEN_ENTRIES_PER_QUEUE, type TailMemory } from './consume-queue';
import { ConsumeQueueEntry } from './consume-queue-entry';

describe('ConsumeQueue', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-consume-queue-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const memory = (): TailMemory => ({ bytes: 0, unwritten: 0, limitBytes: 1 << 20, pressure: false });

  async function queueWith(count: number, entriesPerFile = 4): Promise<ConsumeQueue> {
    const queue = new ConsumeQueue('t', 0, dir, entriesPerFile, memory());
    await queue.open(0);
    for (let i = 0; i < count; i++) queue.stage(1000 + i * 100, 100, 7, 5000 + i * 10);
    queue.publishTo(queue.assignedOffset);
    await queue.flush();
    return queue;
  }

  it('spreads entries over fixed-size files named by first offset and reads across them', async () => {
    const queue = await queueWith(10);
    expect(readdirSync(dir).sort()).toEqual(['00000000000000000000', '00000000000000000004', '00000000000000000008']);
    expect(statSync(join(dir, '00000000000000000004')).size).toBe(4 * ConsumeQueueEntry.BYTES);
    const entries = await queue.readEntries(3, 4);
    expect([0, 1, 2, 3].map((i) => ConsumeQueueEntry.logPosition(entries, i * ConsumeQueueEntry.BYTES))).toEqual([1300, 1400, 1500, 1600]);
    expect(await queue.offsetForTimestamp(5035)).toBe(4);
    expect(await queue.offsetForTimestamp(0)).toBe(0);
    expect(await queue.offsetForTimestamp(9999)).toBe(10);
    await queue.close();
  });

  it('cuts entries past a log position, and a zeroed tail, at reopen', async () => {
    const queue = await queueWith(10);
    await queue.close();
    truncateSync(join(dir, '00000000000000000008'), 4 * ConsumeQueueEntry.BYTES);
    const reopened = new ConsumeQueue('t', 0, dir, 4, memory());
    await reopened.open(0);
    expect(reopened.maxOffset).toBe(12);
    await reopened.truncateFromLogPosition(99_999);
    expect(reopened.maxOffset).toBe(10);
    await reopened.truncateFromLogPosition(1700);
    expect(reopened.maxOffset).toBe(7);
    expect(readdirSync(dir).sort()).toEqual(['00000000000000000000', '00000000000000000004']);
    await reopened.close();
  });

  it('moves its minimum past records below the log start and deletes whole files below it', async () => {
    const queue = await queueWith(10);
    await queue.trimBelow(1650);
    expect(queue.minOffset).toBe(7);
    expect(readdirSync(dir).sort()).toEqual(['00000000000000000004', '00000000000000000008']);
    await queue.close();
  });

  it('serves new entries from its tail before they reach the files, and the same entries from the files after', async () => {
    const tails = memory();
    const queue = new ConsumeQueue('t', 0, dir, 4, tails);
    await queue.open(0);
    for (let i = 0; i < 10; i++) queue.stage(1000 + i * 100, 100, i, 5000 + i * 10);
    expect(tails.unwritten).toBe(10);
    expect((await queue.readEntries(0, 10)).length).toBe(0);
    queue.publishTo(6);
    const fromTail = await queue.readEntries(0, 10);
    expect(fromTail.length).toBe(6 * ConsumeQueueEntry.BYTES);
    expect(readdirSync(dir)).toEqual([]);
    expect(await queue.offsetForTimestamp(5025)).toBe(3);
    await queue.flush();
    expect(queue.fileOffset).toBe(6);
    expect(tails.unwritten).toBe(4);
    expect(queue.releaseTail()).toBe(0);
    queue.publishTo(10);
    await queue.flush();
    const beforeRelease = await queue.readEntries(0, 10);
    expect(queue.releaseTail()).toBeGreaterThan(0);
    expect(tails.bytes).toBe(0);
    const fromFiles = await queue.readEntries(0, 10);
    expect(fromFiles).toEqual(beforeRelease);
    expect(fromFiles.subarray(0, fromTail.length)).toEqual(fromTail);
    await queue.close();
  });

  it('keeps its tail bounded: old entries leave it as new ones arrive, and too many unwritten ones raise pressure', async () => {
    const tails = { ...memory(), limitBytes: 1 << 30 };
    const queue = new ConsumeQueue('t', 0, dir, 1000, tails);
    await queue.open(0);
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 100; i++) queue.stage(round * 100 + i, 100, 0, 1 + round * 100 + i);
      queue.publishTo(queue.assignedOffset);
      await queue.flush();
    }
    expect(queue.tailBytes).toBeLessThanOrEqual(256 * ConsumeQueueEntry.BYTES);
    const entries = await queue.readEntries(1500, 500);
    expect(Array.from({ length: 500 }, (_, i) => ConsumeQueueEntry.logPosition(entries, i * ConsumeQueueEntry.BYTES))).toEqual(
      Array.from({ length: 500 }, (_, i) => 1500 + i),
    );
    expect(tails.pressure).toBe(false);
    for (let i = 0; i < MAX_UNWRITTEN_ENTRIES_PER_QUEUE; i++) queue.stage(10_000 + i, 100, 0, 10_000 + i);
    expect(tails.pressure).toBe(false);
    queue.stage(90_000, 100, 0, 90_000);
    expect(tails.pressure).toBe(true);
    queue.publishTo(queue.assignedOffset);
    await queue.flush();
    expect(tails.unwritten).toBe(0);
    await queue.close();
  });
});
