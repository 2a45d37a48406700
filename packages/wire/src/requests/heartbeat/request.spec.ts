import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { heartbeatRequestCodec, type HeartbeatRequest } from './request';

describe('heartbeatRequestCodec', () => {
  const cases: Array<[string, HeartbeatRequest, string]> = [
    [
      'with an allocation strategy',
      { group: 'g1', clientId: 'c-1', topics: ['orders', 'audit'], messageModel: 'BROADCASTING', allocationStrategy: 'sticky' },
      '000267310003632d31000200066f726465727300056175646974010006737469' + '636b79',
    ],
    [
      'without one (the empty string)',
      { group: 'g1', clientId: 'c-1', topics: ['orders', 'audit'], messageModel: 'BROADCASTING' },
      '000267310003632d31000200066f726465727300056175646974010000',
    ],
  ];

  describe.each(cases)('%s', (_name, value, golden) => {
    it('encodes to the golden bytes', () => {
      expect(encodeBody(heartbeatRequestCodec, value).toString('hex')).toBe(golden);
    });

    it('decodes the golden bytes back', () => {
      expect(decodeBody(heartbeatRequestCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
    });

    it('refuses the golden bytes cut short', () => {
      expect(() => decodeBody(heartbeatRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
    });
  });

  it('refuses an unknown message model', () => {
    expect(() => decodeBody(heartbeatRequestCodec, Buffer.from('000267310003632d31000002' + '0000', 'hex'))).toThrow(/unknown message model 2/);
  });
});
