import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { settleResponseCodec, type SettleResponse } from './response';

describe('settleResponseCodec', () => {
  const value: SettleResponse = { results: ['OK', 'STALE', 'OK'] };
  const golden = '00000003000100';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(settleResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(settleResponseCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(settleResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing|cannot fit/);
  });

  it('refuses an unknown result byte', () => {
    expect(() => decodeBody(settleResponseCodec, Buffer.from('0000000102', 'hex'))).toThrow(/unknown settle result 2/);
  });
});
