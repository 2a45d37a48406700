import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { describeGroupResponseCodec, type DescribeGroupResponse } from './response';

describe('describeGroupResponseCodec', () => {
  const value: DescribeGroupResponse = {
    members: [{ clientId: 'c-1', messageModel: 'CLUSTERING', topics: ['orders'], lastHeartbeatAt: 1700000000000 }],
    queues: [{ queueId: 0, committedOffset: 5, maxOffset: 8, lag: 3 }, { queueId: 1, maxOffset: 2, lag: 2 }],
  };
  const golden =
    '00010003632d3100000100066f72646572730000018bcfe56800000200000100' +
    '0000000000000500000000000000080000000000000003000100000000000000' +
    '00020000000000000002';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(describeGroupResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(describeGroupResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(describeGroupResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
