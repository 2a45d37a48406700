import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { syncAssignmentResponseCodec, type SyncAssignmentResponse } from './response';

describe('syncAssignmentResponseCodec', () => {
  const value: SyncAssignmentResponse = { generation: 8, owned: [0, 1], revoked: [2], sessionTimeoutMs: 10000 };
  const golden = '00000000000000080002000000010001000200002710';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(syncAssignmentResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(syncAssignmentResponseCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(syncAssignmentResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
