import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { queryAssignmentResponseCodec, type QueryAssignmentResponse } from './response';

describe('queryAssignmentResponseCodec', () => {
  const value: QueryAssignmentResponse = { queueIds: [0, 2, 5] };
  const golden =
    '0003000000020005';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(queryAssignmentResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(queryAssignmentResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(queryAssignmentResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
