import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { consumeFailedResponseCodec, type ConsumeFailedResponse } from './response';

describe('consumeFailedResponseCodec', () => {
  const value: ConsumeFailedResponse = { tookCharge: true };
  const golden =
    '01';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(consumeFailedResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(consumeFailedResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(consumeFailedResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
