import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { sendBatchRequestCodec, type SendBatchRequest } from './request';

describe('sendBatchRequestCodec', () => {
  const value: SendBatchRequest = {
    producerGroup: 'pg',
    topic: 'orders',
    messages: [
      { topic: 'orders', queueId: 2, body: Buffer.from('hello'), tag: 'TagA', keys: ['k1', 'k2'], properties: { color: 'red' }, bornTimestamp: 1700000000000, flag: 0, reconsumeTimes: 0 },
      { topic: 'orders', queueId: undefined, body: Buffer.from([0xff]), tag: undefined, keys: [], properties: {}, bornTimestamp: 1, flag: 7, reconsumeTimes: 2 },
    ],
  };
  const golden =
    '0002706700066f72646572730000000200000002000000000000018bcfe56800' +
    '00000000000454616741000200026b3100026b3200010005636f6c6f72000372' +
    '65640000000568656c6c6fffffffff0000000700000000000000010000000200' +
    '000000000000000001ff';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(sendBatchRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(sendBatchRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(sendBatchRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
