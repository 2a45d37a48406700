import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { queryOffsetResponseCodec, type QueryOffsetResponse } from './response';

describe('queryOffsetResponseCodec', () => {
  const value: QueryOffsetResponse = { offset: 77 };
  const golden =
    '01000000000000004d';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(queryOffsetResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(queryOffsetResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(queryOffsetResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
