import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { heartbeatRequestCodec, type HeartbeatRequest } from './request';

describe('heartbeatRequestCodec', () => {
  const value: HeartbeatRequest = { group: 'g1', clientId: 'c-1', topics: ['orders', 'audit'], messageModel: 'BROADCASTING' };
  const golden =
    '000267310003632d31000200066f72646572730005617564697401';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(heartbeatRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(heartbeatRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(heartbeatRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
