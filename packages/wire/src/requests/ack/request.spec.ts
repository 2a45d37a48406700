import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { ackRequestCodec, type AckRequest } from './request';

describe('ackRequestCodec', () => {
  const value: AckRequest = { group: 'g1', receipts: ['r-1', 'r-2'] };
  const golden = '0002673100020003722d310003722d32';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(ackRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(ackRequestCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(ackRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
