import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { syncAssignmentRequestCodec, type SyncAssignmentRequest } from './request';

describe('syncAssignmentRequestCodec', () => {
  const cases: Array<[string, SyncAssignmentRequest, string]> = [
    [
      'a held sync on a known generation',
      { group: 'g1', topic: 'orders', clientId: 'c-1', held: [0, 2], knownGeneration: 7, maxWaitMs: 15000 },
      '0002673100066f72646572730003632d31000200000002010000000000000007' + '00003a98',
    ],
    ['a first sync holding nothing', { group: 'g1', topic: 'orders', clientId: 'c-1', held: [], maxWaitMs: 0 }, '0002673100066f72646572730003632d3100000000000000'],
  ];

  describe.each(cases)('%s', (_name, value, golden) => {
    it('encodes to the golden bytes', () => {
      expect(encodeBody(syncAssignmentRequestCodec, value).toString('hex')).toBe(golden);
    });

    it('decodes the golden bytes back', () => {
      expect(decodeBody(syncAssignmentRequestCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
    });

    it('refuses the golden bytes cut short', () => {
      expect(() => decodeBody(syncAssignmentRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
    });
  });
});
