import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { queryMessagesByKeyRequestCodec, type QueryMessagesByKeyRequest } from './request';

describe('queryMessagesByKeyRequestCodec', () => {
  const value: QueryMessagesByKeyRequest = { topic: 'orders', key: 'k1', maxCount: 16, beginTimestamp: 1000 };
  const golden =
    '00066f726465727300026b31000000100100000000000003e800';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(queryMessagesByKeyRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(queryMessagesByKeyRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(queryMessagesByKeyRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
