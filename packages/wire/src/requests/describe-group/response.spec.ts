import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { describeGroupResponseCodec, type DescribeGroupResponse } from './response';

describe('describeGroupResponseCodec', () => {
  const value: DescribeGroupResponse = {
    members: [{ clientId: 'c-1', messageModel: 'CLUSTERING', topics: ['orders'], lastHeartbeatAt: 1700000000000, allocationStrategy: 'sticky' }],
    queues: [
      { topic: 'orders', queueId: 0, committedOffset: 5, minOffset: 0, maxOffset: 8, lag: 3, owner: 'c-1' },
      { topic: 'orders', queueId: 1, minOffset: 1, maxOffset: 2, lag: 1 },
    ],
  };
  const golden =
    '00010003632d3100000100066f72646572730000018bcfe56800000673746963' +
    '6b790000000200066f7264657273000001000000000000000500000000000000' +
    '00000000000000000800000000000000030003632d3100066f72646572730001' +
    '000000000000000001000000000000000200000000000000010000';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(describeGroupResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(describeGroupResponseCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(describeGroupResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });

  it('refuses a queue count the body cannot hold', () => {
    expect(() => decodeBody(describeGroupResponseCodec, Buffer.from('0000' + 'ffffffff', 'hex'))).toThrow(/cannot fit/);
  });
});
