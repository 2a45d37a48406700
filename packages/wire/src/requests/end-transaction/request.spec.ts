import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { endTransactionRequestCodec, type EndTransactionRequest } from './request';

describe('endTransactionRequestCodec', () => {
  const value: EndTransactionRequest = {
    producerGroup: 'pg', transactionId: 'tx-1', halfMsgId: 'C0A8000100000000000004D2', decision: 'ROLLBACK', fromCheck: true,
  };
  const golden =
    '00027067000474782d3100184330413830303031303030303030303030303030' +
    '303444320201';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(endTransactionRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(endTransactionRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('writes COMMIT as 1 and UNKNOWN as 0', () => {
    expect(encodeBody(endTransactionRequestCodec, { ...value, decision: 'COMMIT', fromCheck: false }).toString('hex')).toBe(golden.slice(0, -4) + '0100');
    expect(encodeBody(endTransactionRequestCodec, { ...value, decision: 'UNKNOWN' }).toString('hex')).toBe(golden.slice(0, -4) + '0001');
  });

  it('refuses an unknown decision', () => {
    expect(() => decodeBody(endTransactionRequestCodec, Buffer.from(golden.slice(0, -4) + '0301', 'hex'))).toThrow(/unknown transaction decision 3/);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(endTransactionRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
