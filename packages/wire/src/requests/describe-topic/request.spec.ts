import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { describeTopicRequestCodec, type DescribeTopicRequest } from './request';

describe('describeTopicRequestCodec', () => {
  const value: DescribeTopicRequest = { name: 'orders' };
  const golden =
    '00066f7264657273';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(describeTopicRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(describeTopicRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(describeTopicRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
