import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { listGroupsResponseCodec, type ListGroupsResponse } from './response';

describe('listGroupsResponseCodec', () => {
  const value: ListGroupsResponse = { groups: ['g1', 'g2'] };
  const golden =
    '00020002673100026732';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(listGroupsResponseCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(listGroupsResponseCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(listGroupsResponseCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
