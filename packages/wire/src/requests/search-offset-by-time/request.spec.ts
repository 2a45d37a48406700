import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { searchOffsetByTimeRequestCodec, type SearchOffsetByTimeRequest } from './request';

describe('searchOffsetByTimeRequestCodec', () => {
  const value: SearchOffsetByTimeRequest = { topic: 'orders', queueId: 1, timestamp: 1700000000000 };
  const golden =
    '00066f7264657273000000010000018bcfe56800';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(searchOffsetByTimeRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(searchOffsetByTimeRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(searchOffsetByTimeRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
