import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { pollTransactionChecksRequestCodec, type PollTransactionChecksRequest } from './request';

describe('pollTransactionChecksRequestCodec', () => {
  const value: PollTransactionChecksRequest = { producerGroup: 'pg', clientId: 'host@42@ab12', maxWaitMs: 10000 };
  const golden =
    '00027067000c686f7374403432406162313200002710';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(pollTransactionChecksRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(pollTransactionChecksRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(pollTransactionChecksRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
