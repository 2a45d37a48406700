import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { getRouteResponseCodec, type GetRouteResponse } from './response';

describe('getRouteResponseCodec', () => {
  const value: GetRouteResponse = { writeQueueCount: 8, readQueueCount: 4, permission: 'r' };
  const golden =
    '0008000401';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(getRouteResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(getRouteResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(getRouteResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
