import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { nackRequestCodec, type NackRequest } from './request';

describe('nackRequestCodec', () => {
  const value: NackRequest = { group: 'g1', receipts: ['r-1'], redeliverAfterMs: 5000 };
  const golden = '0002673100010003722d3100001388';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(nackRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(nackRequestCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(nackRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
