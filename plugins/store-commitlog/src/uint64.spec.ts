import { uint64 } from './uint64';

describe('uint64', () => {
  it('round-trips integers up to 2^53 as two little-endian words', () => {
    const buffer = Buffer.alloc(8);
    for (const value of [0, 1, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 17, Number.MAX_SAFE_INTEGER]) {
      uint64.write(buffer, value, 0);
      expect(uint64.read(buffer, 0)).toBe(value);
      expect(buffer.readBigUInt64LE(0)).toBe(BigInt(value));
    }
  });
});
