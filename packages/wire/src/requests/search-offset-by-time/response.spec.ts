import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { searchOffsetByTimeResponseCodec, type SearchOffsetByTimeResponse } from './response';

describe('searchOffsetByTimeResponseCodec', () => {
  const value: SearchOffsetByTimeResponse = { offset: 9 };
  const golden =
    '0000000000000009';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(searchOffsetByTimeResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(searchOffsetByTimeResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(searchOffsetByTimeResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
