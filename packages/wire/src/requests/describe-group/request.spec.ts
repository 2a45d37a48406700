import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { describeGroupRequestCodec, type DescribeGroupRequest } from './request';

describe('describeGroupRequestCodec', () => {
  const cases: Array<[string, DescribeGroupRequest, string]> = [
    ['for one topic', { group: 'g1', topic: 'orders' }, '0002673100066f7264657273'],
    ['for every topic (the empty string)', { group: 'g1' }, '000267310000'],
  ];

  describe.each(cases)('%s', (_name, value, golden) => {
    it('encodes to the golden bytes', () => {
      expect(encodeBody(describeGroupRequestCodec, value).toString('hex')).toBe(golden);
    });

    it('decodes the golden bytes back', () => {
      expect(decodeBody(describeGroupRequestCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
    });

    it('refuses the golden bytes cut short', () => {
      expect(() => decodeBody(describeGroupRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
    });
  });
});
