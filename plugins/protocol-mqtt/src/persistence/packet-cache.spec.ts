import { JournalBatch } from './journal-batch';
import { PacketCache } from './packet-cache';

const KIB = 1024;

function appended(offset: number): JournalBatch {
  return JournalBatch.appendedAt(offset);
}

describe('PacketCache', () => {
  it('stays within its budget by dropping the oldest appended batches first', () => {
    const cache = new PacketCache(10 * KIB);
    const batches = Array.from({ length: 50 }, (_, i) => appended(i));
    for (const batch of batches) cache.add(batch, 0, { topic: 't', payload: Buffer.alloc(KIB) });

    expect(cache.cachedBytes).toBeLessThanOrEqual(10 * KIB);
    expect(batches[0]!.packets).toBeUndefined();
    expect(batches[49]!.packets?.get(0)?.payload).toHaveLength(KIB);
  });

  it('keeps the packets of a batch not yet appended, whatever the budget', () => {
    const cache = new PacketCache(0);
    const pending = new JournalBatch(1);
    cache.add(pending, 7, { topic: 't', payload: Buffer.alloc(KIB) });

    expect(pending.packets?.has(7)).toBe(true);

    pending.markAppended(0);
    cache.evict();
    expect(pending.packets).toBeUndefined();
    expect(cache.cachedBytes).toBe(0);
  });
});
