import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { consumeFailedRequestCodec, type ConsumeFailedRequest } from './request';

describe('consumeFailedRequestCodec', () => {
  const value: ConsumeFailedRequest = { group: 'g1', msgId: 'C0A8000100000000000004D2', reason: 'boom', delayLevel: 3, deliveryCount: 17 };
  const golden =
    '0002673100184330413830303031303030303030303030303030303444320004' +
    '626f6f6d0300000011';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(consumeFailedRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(consumeFailedRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(consumeFailedRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
