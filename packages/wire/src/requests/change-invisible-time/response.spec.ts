import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { changeInvisibleTimeResponseCodec, type ChangeInvisibleTimeResponse } from './response';

describe('changeInvisibleTimeResponseCodec', () => {
  const value: ChangeInvisibleTimeResponse = { receipt: 'r-1b', leaseExpiresAt: 1700000060000 };
  const golden = '0004722d31620000018bcfe65260';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(changeInvisibleTimeResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(changeInvisibleTimeResponseCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(changeInvisibleTimeResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
