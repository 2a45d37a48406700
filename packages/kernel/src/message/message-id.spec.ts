import { decodeMessageId, encodeMessageId } from './message-id';

describe('message id', () => {
  it('round-trips store id and commitlog offset', () => {
    const id = encodeMessageId(0xdeadbeef, 2 ** 40 + 17);
    expect(id).toBe('DEADBEEF0000010000000011');
    expect(decodeMessageId(id)).toEqual({ storeId: 0xdeadbeef, commitLogOffset: 2 ** 40 + 17 });
  });

  it('refuses ids that are not 24 hex digits', () => {
    expect(decodeMessageId('xyz')).toBeUndefined();
    expect(decodeMessageId('DEADBEEF00000100000000ZZ')).toBeUndefined();
  });
});
