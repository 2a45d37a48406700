import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { getRouteRequestCodec, type GetRouteRequest } from './request';

describe('getRouteRequestCodec', () => {
  const value: GetRouteRequest = { topic: 'orders' };
  const golden =
    '00066f7264657273';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(getRouteRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(getRouteRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(getRouteRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
