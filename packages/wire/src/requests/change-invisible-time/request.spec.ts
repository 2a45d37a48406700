import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { changeInvisibleTimeRequestCodec, type ChangeInvisibleTimeRequest } from './request';

describe('changeInvisibleTimeRequestCodec', () => {
  const value: ChangeInvisibleTimeRequest = { group: 'g1', receipt: 'r-1', invisibleMs: 60000 };
  const golden = '000267310003722d310000ea60';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(changeInvisibleTimeRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(changeInvisibleTimeRequestCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(changeInvisibleTimeRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
