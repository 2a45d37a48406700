import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { receiveRequestCodec, type ReceiveRequest } from './request';

describe('receiveRequestCodec', () => {
  const cases: Array<[string, ReceiveRequest, string]> = [
    [
      'from one queue with a tag filter',
      {
        group: 'g1', topic: 'orders', clientId: 'c-1', queueId: 2, maxCount: 16, maxBytes: 1048576, invisibleMs: 30000, maxWaitMs: 15000,
        subscription: { expressionType: 'TAG', expression: 'TagA' },
      },
      '0002673100066f72646572730003632d31000000020000001000100000000075' + '3000003a9801000454616741',
    ],
    [
      'from any queue (-1), unfiltered',
      { group: 'g1', topic: 'orders', clientId: 'c-1', maxCount: 1, maxBytes: 1024, invisibleMs: 1000, maxWaitMs: 0 },
      '0002673100066f72646572730003632d31ffffffff0000000100000400000003' + 'e800000000000000',
    ],
  ];

  describe.each(cases)('%s', (_name, value, golden) => {
    it('encodes to the golden bytes', () => {
      expect(encodeBody(receiveRequestCodec, value).toString('hex')).toBe(golden);
    });

    it('decodes the golden bytes back', () => {
      expect(decodeBody(receiveRequestCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
    });

    it('refuses the golden bytes cut short', () => {
      expect(() => decodeBody(receiveRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
    });
  });

  it('refuses an unknown expression type', () => {
    const golden = Buffer.from(cases[0]![2], 'hex');
    golden[golden.length - 7] = 3;
    expect(() => decodeBody(receiveRequestCodec, golden)).toThrow(/unknown subscription expression type 3/);
  });
});
