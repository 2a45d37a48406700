import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { createTopicRequestCodec, type CreateTopicRequest } from './request';

describe('createTopicRequestCodec', () => {
  const value: CreateTopicRequest = { name: 'orders', writeQueueCount: 8, permission: 'w' };
  const golden =
    '00066f7264657273050008000002';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(createTopicRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(createTopicRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(createTopicRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
