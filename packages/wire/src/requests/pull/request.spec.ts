import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { pullRequestCodec, type PullRequest } from './request';

describe('pullRequestCodec', () => {
  const value: PullRequest = {
    group: 'g1', topic: 'orders', queueId: 1, offset: 5, maxCount: 32, maxBytes: 1048576, maxWaitMs: 15000,
    subscription: { expressionType: 'TAG', expression: 'TagA || TagB' },
  };
  const golden =
    '0002673100066f72646572730000000100000000000000050000002000100000' +
    '00003a9801000c54616741207c7c2054616742';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(pullRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(pullRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(pullRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
