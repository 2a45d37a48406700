import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { queueRangeResponseCodec, type QueueRangeResponse } from './response';

describe('queueRangeResponseCodec', () => {
  const value: QueueRangeResponse = { minOffset: 10, maxOffset: 20 };
  const golden =
    '000000000000000a0000000000000014';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(queueRangeResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(queueRangeResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(queueRangeResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
