import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { listTopicsRequestCodec, type ListTopicsRequest } from './request';

describe('listTopicsRequestCodec', () => {
  const value: ListTopicsRequest = { includeSystem: true };
  const golden =
    '01';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(listTopicsRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(listTopicsRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(listTopicsRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
