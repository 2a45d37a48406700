import { uint64 } from './uint64';

/**
 * One consume-queue entry, 24 bytes little-endian: log position u64, record size u32, tag hash
 * u32, store timestamp u64. The timestamp makes offsetForTimestamp a binary search of the queue
 * with no log reads. An all-zero entry (size 0) is a hole before a queue's first offset.
 */
export const ConsumeQueueEntry = {
  BYTES: 24,
  write(target: Buffer, at: number, logPosition: number, size: number, tagHash: number, storeTimestamp: number): void {
    uint64.write(target, logPosition, at);
    target.writeUInt32LE(size, at + 8);
    target.writeUInt32LE(tagHash >>> 0, at + 12);
    uint64.write(target, storeTimestamp, at + 16);
  },
  logPosition: (source: Buffer, at: number): number => uint64.read(source, at),
  size: (source: Buffer, at: number): number => source.readUInt32LE(at + 8),
  tagHash: (source: Buffer, at: number): number => source.readUInt32LE(at + 12),
  storeTimestamp: (source: Buffer, at: number): number => uint64.read(source, at + 16),
};
