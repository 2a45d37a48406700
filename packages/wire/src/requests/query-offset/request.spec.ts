import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { queryOffsetRequestCodec, type QueryOffsetRequest } from './request';

describe('queryOffsetRequestCodec', () => {
  const value: QueryOffsetRequest = { group: 'g1', topic: 'orders', queueId: 3 };
  const golden =
    '0002673100066f726465727300000003';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(queryOffsetRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(queryOffsetRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(queryOffsetRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
