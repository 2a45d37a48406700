const TWO_POW_32 = 4294967296;

/** Integers up to 2^53 stored as two little-endian uint32 (low word first), without BigInt. */
export const uint64 = {
  write(target: Buffer, value: number, at: number): void {
    const low = value >>> 0;
    target.writeUInt32LE(low, at);
    target.writeUInt32LE((value - low) / TWO_POW_32, at + 4);
  },
  read(source: Buffer, at: number): number {
    return source.readUInt32LE(at) + source.readUInt32LE(at + 4) * TWO_POW_32;
  },
};
