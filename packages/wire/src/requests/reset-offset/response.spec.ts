import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { resetOffsetResponseCodec, type ResetOffsetResponse } from './response';

describe('resetOffsetResponseCodec', () => {
  const value: ResetOffsetResponse = { queues: [{ queueId: 0, offset: 5 }, { queueId: 1, offset: 3 }] };
  const golden = '00020000000000000000000500010000000000000003';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(resetOffsetResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(resetOffsetResponseCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(resetOffsetResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
