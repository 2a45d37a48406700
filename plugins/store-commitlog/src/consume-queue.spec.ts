import { mkdtempSync, rmSync, truncateSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsumeQueue } from './consume-queue';
import { ConsumeQueueEntry } from './consume-queue-entry';

describe('ConsumeQueue', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-consume-queue-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function queueWith(count: number, entriesPerFile = 4): Promise<ConsumeQueue> {
    const queue = new ConsumeQueue('t', 0, dir, entriesPerFile);
    await queue.open(0);
    for (let i = 0; i < count; i++) queue.stage(1000 + i * 100, 100, 7, 5000 + i * 10);
    const staged = queue.detachStaged()!;
    await queue.write(staged);
    queue.publish(staged.count);
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
    const reopened = new ConsumeQueue('t', 0, dir, 4);
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
});
