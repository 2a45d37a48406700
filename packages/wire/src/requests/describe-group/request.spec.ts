import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { describeGroupRequestCodec, type DescribeGroupRequest } from './request';

describe('describeGroupRequestCodec', () => {
  const value: DescribeGroupRequest = { group: 'g1', topic: 'orders' };
  const golden =
    '0002673100066f7264657273';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(describeGroupRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(describeGroupRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(describeGroupRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
