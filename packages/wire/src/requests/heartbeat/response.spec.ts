import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { heartbeatResponseCodec, type HeartbeatResponse } from './response';

describe('heartbeatResponseCodec', () => {
  const value: HeartbeatResponse = { sessionTimeoutMs: 10000 };
  const golden = '00002710';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(heartbeatResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(heartbeatResponseCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(heartbeatResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
