import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { getMessageByIdRequestCodec, type GetMessageByIdRequest } from './request';

describe('getMessageByIdRequestCodec', () => {
  const value: GetMessageByIdRequest = { msgId: 'C0A8000100000000000004D2' };
  const golden =
    '0018433041383030303130303030303030303030303030344432';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(getMessageByIdRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(getMessageByIdRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(getMessageByIdRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
