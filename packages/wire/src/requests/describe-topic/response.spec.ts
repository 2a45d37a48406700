import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { describeTopicResponseCodec, type DescribeTopicResponse } from './response';

describe('describeTopicResponseCodec', () => {
  const value: DescribeTopicResponse = { topic: { name: 'orders', writeQueueCount: 8, readQueueCount: 4, permission: 'rw', system: false, createdAt: 1700000000000 }, queues: [{ queueId: 0, minOffset: 1, maxOffset: 9 }] };
  const golden =
    '00066f72646572730008000403000000018bcfe5680000010000000000000000' +
    '00010000000000000009';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(describeTopicResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(describeTopicResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(describeTopicResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
