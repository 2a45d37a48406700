import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { queueRangeRequestCodec, type QueueRangeRequest } from './request';

describe('queueRangeRequestCodec', () => {
  const value: QueueRangeRequest = { topic: 'orders', queueId: 0 };
  const golden =
    '00066f726465727300000000';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(queueRangeRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(queueRangeRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(queueRangeRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
