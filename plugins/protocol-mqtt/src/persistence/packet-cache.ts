import type { JournalBatch } from './journal-batch';
import type { PersistedPacket } from './persisted-packet';

/** What a queued packet costs in memory besides its payload: the object, its fields, the map slot. */
const PACKET_OVERHEAD_BYTES = 256;

/**
 * Keeps recently queued outgoing packets in memory, up to a byte budget, so a session that is
 * online (it clears its packets within milliseconds) never reads the journal. Over the budget,
 * the oldest appended batches drop their packets; those are read back from the journal when
 * streamed. A batch not yet appended keeps its packets, so the budget can be exceeded by what
 * one append in flight holds.
 */
export class PacketCache {
  private readonly batches = new Set<JournalBatch>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get cachedBytes(): number {
    return this.bytes;
  }

  add(batch: JournalBatch, position: number, packet: PersistedPacket): void {
    if (!batch.packets) {
      batch.packets = new Map();
      this.batches.add(batch);
    }
    const bytes = PACKET_OVERHEAD_BYTES + byteSize(packet.payload) + byteSize(packet.topic);
    batch.packets.set(position, packet);
    batch.cachedBytes += bytes;
    this.bytes += bytes;
    this.evict();
  }

  /** Drops a batch's packets (its append failed, or nothing points at it any more). */
  remove(batch: JournalBatch): void {
    if (!this.batches.delete(batch)) return;
    this.bytes -= batch.cachedBytes;
    batch.cachedBytes = 0;
    batch.packets = undefined;
  }

  /** Drops the oldest appended batches' packets while over the budget. */
  evict(): void {
    for (const batch of this.batches) {
      if (this.bytes <= this.maxBytes || batch.offset < 0) return;
      this.remove(batch);
    }
  }
}

function byteSize(value: unknown): number {
  if (typeof value === 'string') return value.length * 2;
  if (value instanceof Uint8Array) return value.length;
  return 0;
}
