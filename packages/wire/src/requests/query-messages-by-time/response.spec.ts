import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { queryMessagesByTimeResponseCodec, type QueryMessagesByTimeResponse } from './response';

describe('queryMessagesByTimeResponseCodec', () => {
  const value: QueryMessagesByTimeResponse = { messages: [{
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
    }] };
  const golden =
    '0000000100184330413830303031303030303030303030303030303444320006' +
    '6f726465727300000003000000000000002a00000000000004d20000018bcfe5' +
    '687b0000018bcfe568000000000000000001000454616741000100026b310001' +
    '000161000162000000026869';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(queryMessagesByTimeResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(queryMessagesByTimeResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('encodes an empty answer as a zero count', () => {
    expect(encodeBody(queryMessagesByTimeResponseCodec, { messages: [] }).toString('hex')).toBe('00000000');
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(queryMessagesByTimeResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
