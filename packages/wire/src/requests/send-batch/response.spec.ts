import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { sendBatchResponseCodec, type SendBatchResponse } from './response';

describe('sendBatchResponseCodec', () => {
  const value: SendBatchResponse = { results: [{ msgId: 'C0A8000100000000000004D2', queueId: 2, queueOffset: 10 }] };
  const golden =
    '0000000100184330413830303031303030303030303030303030303444320000' +
    '0002000000000000000a';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(sendBatchResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(sendBatchResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(sendBatchResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
