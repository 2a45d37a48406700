import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { pollTransactionChecksResponseCodec, type PollTransactionChecksResponse } from './response';

describe('pollTransactionChecksResponseCodec', () => {
  const value: PollTransactionChecksResponse = { checks: [{
    transactionId: 'tx-1',
    halfMsgId: 'C0A8000100000000000004D2',
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
  }] };
  const golden =
    '00000001000474782d3100184330413830303031303030303030303030303030' +
    '3034443200184330413830303031303030303030303030303030303444320006' +
    '6f726465727300000003000000000000002a00000000000004d20000018bcfe5' +
    '687b0000018bcfe568000000000000000001000454616741000100026b310001' +
    '000161000162000000026869';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(pollTransactionChecksResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(pollTransactionChecksResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('encodes no checks as a zero count', () => {
    expect(encodeBody(pollTransactionChecksResponseCodec, { checks: [] }).toString('hex')).toBe('00000000');
  });

  it('refuses a count the body cannot hold', () => {
    expect(() => decodeBody(pollTransactionChecksResponseCodec, Buffer.from('00000002' + golden.slice(8), 'hex'))).toThrow(/cannot fit|truncated/);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(pollTransactionChecksResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
