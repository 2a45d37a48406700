import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { pullResponseCodec, type PullResponse } from './response';

describe('pullResponseCodec', () => {
  const value: PullResponse = { status: 'FOUND', nextOffset: 43, minOffset: 0, maxOffset: 100, messages: [{
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
    '00000000000000002b0000000000000000000000000000006400000001001843' +
    '304138303030313030303030303030303030303034443200066f726465727300' +
    '000003000000000000002a00000000000004d20000018bcfe5687b0000018bcf' +
    'e568000000000000000001000454616741000100026b31000100016100016200' +
    '0000026869';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(pullResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(pullResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(pullResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
