import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { unregisterClientRequestCodec, type UnregisterClientRequest } from './request';

describe('unregisterClientRequestCodec', () => {
  const value: UnregisterClientRequest = { group: 'g1', clientId: 'c-1' };
  const golden =
    '000267310003632d31';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(unregisterClientRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(unregisterClientRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(unregisterClientRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
