import { encodeMessageId } from '@tessera/kernel';
import { hex16 } from './hex16';

describe('hex16', () => {
  it('writes a position exactly as the kernel message id does', () => {
    for (const position of [0, 1, 255, 4095, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 17, 0xdeadbeef1234, Number.MAX_SAFE_INTEGER]) {
      expect(hex16(position)).toBe(encodeMessageId(0, position).slice(8));
    }
  });
});
