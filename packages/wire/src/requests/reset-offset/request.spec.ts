import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { WireFormatError } from '../../frame/wire-format-error';
import { resetOffsetRequestCodec, type ResetOffsetRequest } from './request';

describe('resetOffsetRequestCodec', () => {
  const cases: Array<[string, ResetOffsetRequest, string]> = [
    ['to an offset', { group: 'g1', topic: 'orders', toOffset: 5 }, '0002673100066f726465727301000000000000000500'],
    ['to a timestamp', { group: 'g1', topic: 'orders', toTimestamp: 1700000000000 }, '0002673100066f726465727300010000018bcfe56800'],
  ];

  describe.each(cases)('%s', (_name, value, golden) => {
    it('encodes to the golden bytes', () => {
      expect(encodeBody(resetOffsetRequestCodec, value).toString('hex')).toBe(golden);
    });

    it('decodes the golden bytes back', () => {
      expect(decodeBody(resetOffsetRequestCodec, Buffer.from(golden, 'hex'))).toStrictEqual(value);
    });

    it('refuses the golden bytes cut short', () => {
      expect(() => decodeBody(resetOffsetRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
    });
  });

  it.each([
    ['neither target', '0002673100066f7264657273' + '00' + '00'],
    ['both targets', '0002673100066f7264657273' + '010000000000000005' + '010000018bcfe56800'],
  ])('refuses %s on decode', (_name, hex) => {
    expect(() => decodeBody(resetOffsetRequestCodec, Buffer.from(hex, 'hex'))).toThrow(WireFormatError);
  });

  it('refuses to encode neither or both targets', () => {
    expect(() => encodeBody(resetOffsetRequestCodec, { group: 'g1', topic: 'orders' })).toThrow(/exactly one of toOffset and toTimestamp/);
    expect(() => encodeBody(resetOffsetRequestCodec, { group: 'g1', topic: 'orders', toOffset: 1, toTimestamp: 2 })).toThrow(/exactly one/);
  });
});
