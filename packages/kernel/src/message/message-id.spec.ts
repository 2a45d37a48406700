import { decodeMessageId, encodeMessageId } from './message-id';

describe('message id', () => {
  it('round-trips store id and commitlog offset', () => {
    const id = encodeMessageId(0xdeadbeef, 2 ** 40 + 17);
    expect(id).toBe('DEADBEEF0000010000000011');
    expect(decodeMessageId(id)).toEqual({ storeId: 0xdeadbeef, commitLogOffset: 2 ** 40 + 17 });
  });

  it('writes every position as 16 upper-case hex digits, up to the largest safe integer', () => {
    for (const position of [0, 1, 255, 4095, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 17, 0xdeadbeef1234, Number.MAX_SAFE_INTEGER]) {
      const id = encodeMessageId(0, position);
      expect(id.slice(8)).toBe(position.toString(16).toUpperCase().padStart(16, '0'));
      expect(decodeMessageId(id)).toEqual({ storeId: 0, commitLogOffset: position });
    }
  });

  it('refuses ids that are not 24 hex digits', () => {
    expect(decodeMessageId('xyz')).toBeUndefined();
    expect(decodeMessageId('DEADBEEF00000100000000ZZ')).toBeUndefined();
  });
});
