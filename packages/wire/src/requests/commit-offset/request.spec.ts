import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { commitOffsetRequestCodec, type CommitOffsetRequest } from './request';

describe('commitOffsetRequestCodec', () => {
  const value: CommitOffsetRequest = { group: 'g1', topic: 'orders', queueId: 3, offset: 4294967297 };
  const golden =
    '0002673100066f7264657273000000030000000100000001';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(commitOffsetRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(commitOffsetRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(commitOffsetRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
