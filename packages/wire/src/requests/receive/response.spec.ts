import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { receiveResponseCodec, type ReceiveResponse } from './response';

describe('receiveResponseCodec', () => {
  const value: ReceiveResponse = {
    messages: [
      {
        message: {
          msgId: 'C0A8000100000000000004D2',
          topic: 'orders',
          queueId: 3,
          queueOffset: 42,
          commitLogOffset: 1234,
          storeTimestamp: 1700000000123,
          bornTimestamp: 1700000000000,
          body: Buffer.from('hi'),
          tag: 'TagA',
          keys: ['k1'],
          properties: { a: 'b' },
          flag: 0,
          reconsumeTimes: 1,
        },
        receipt: 'r-1',
        deliveryCount: 2,
        leaseExpiresAt: 1700000030123,
      },
    ],
  };
  const golden =
    '0000000100184330413830303031303030303030303030303030303444320006' +
    '6f726465727300000003000000000000002a00000000000004d20000018bcfe5' +
    '687b0000018bcfe568000000000000000001000454616741000100026b310001' +
    '0001610001620000000268690003722d31000000020000018bcfe5ddab';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(receiveResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(receiveResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(receiveResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });

  it('refuses a message count the body cannot hold', () => {
    expect(() => decodeBody(receiveResponseCodec, Buffer.from('00000002' + golden.slice(8), 'hex'))).toThrow(/cannot fit/);
  });
});
