import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { queryAssignmentRequestCodec, type QueryAssignmentRequest } from './request';

describe('queryAssignmentRequestCodec', () => {
  const value: QueryAssignmentRequest = { group: 'g1', topic: 'orders', clientId: 'c-1' };
  const golden =
    '0002673100066f72646572730003632d31';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(queryAssignmentRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(queryAssignmentRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(queryAssignmentRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
