import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { listTopicsResponseCodec, type ListTopicsResponse } from './response';

describe('listTopicsResponseCodec', () => {
  const value: ListTopicsResponse = { topics: [{ name: 'orders', writeQueueCount: 8, readQueueCount: 4, permission: 'rw', system: false, createdAt: 1700000000000 }] };
  const golden =
    '0000000100066f72646572730008000403000000018bcfe56800';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(listTopicsResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(listTopicsResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(listTopicsResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
