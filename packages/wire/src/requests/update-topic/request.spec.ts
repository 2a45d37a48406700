import { decodeBody } from '../../codec/decode-body';
import { encodeBody } from '../../codec/encode-body';
import { updateTopicRequestCodec, type UpdateTopicRequest } from './request';

describe('updateTopicRequestCodec', () => {
  const value: UpdateTopicRequest = { name: 'orders', readQueueCount: 2 };
  const golden =
    '00066f7264657273020000000200';

  it('encodes to the golden bytes', () => {
    expect(encodeBody(updateTopicRequestCodec, value).toString('hex')).toBe(golden);
  });

  it('decodes the golden bytes back', () => {
    expect(decodeBody(updateTopicRequestCodec, Buffer.from(golden, 'hex'))).toEqual(value);
  });

  it('refuses the golden bytes cut short', () => {
    expect(() => decodeBody(updateTopicRequestCodec, Buffer.from(golden, 'hex').subarray(0, -1))).toThrow(/truncated|trailing/);
  });
});
