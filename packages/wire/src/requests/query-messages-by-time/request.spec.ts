import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { queryMessagesByTimeRequestCodec, type QueryMessagesByTimeRequest } from './request';

describe('queryMessagesByTimeRequestCodec', () => {
  const value: QueryMessagesByTimeRequest = { topic: 'orders', beginTimestamp: 1700000000000, endTimestamp: 1700000060000, maxCount: 16 };
  const golden =
    '00066f72646572730000018bcfe568000000018bcfe6526000000010';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(queryMessagesByTimeRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(queryMessagesByTimeRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(queryMessagesByTimeRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
