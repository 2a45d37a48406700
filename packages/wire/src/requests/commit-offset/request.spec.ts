import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { commitOffsetRequestCodec, type CommitOffsetRequest } from './request';

describe('commitOffsetRequestCodec', () => {
  const cases: Array<[string, CommitOffsetRequest, string]> = [
    ['from a group member', { group: 'g1', topic: 'orders', queueId: 3, offset: 4294967297, clientId: 'c-1' }, '0002673100066f72646572730000000300000001000000010003632d31'],
    ['without a client id (the empty string)', { group: 'g1', topic: 'orders', queueId: 3, offset: 4294967297 }, '0002673100066f72646572730000000300000001000000010000'],
  ];

  describe.each(cases)('%s', (_name, value, golden) => {
    it('encodes to the golden bytes', () => {
      expect(encodeBody(commitOffsetRequestCodec, value).toString('hex')).toBe(golden);
    });

    it('decodes the golden bytes back', () => {
      expect(decodeBody(commitOffsetRequestCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
    });

    it('refuses the golden bytes cut short', () => {
      expect(() => decodeBody(commitOffsetRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
    });
  });
});
