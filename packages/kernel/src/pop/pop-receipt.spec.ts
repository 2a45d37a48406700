import { ErrorCode } from '../errors/error-code';
import { decodePopReceipt, encodePopReceipt } from './pop-receipt';

describe('pop receipts', () => {
  it('round-trips topic, queue, offset and lease, whatever characters the topic name uses', () => {
    for (const [topic, queueId, offset, leaseId] of [
      ['orders', 0, 0, 1],
      ['%RETRY%g|a.b-c_d', 1023, 2 ** 53 - 1, 123_456_789_012],
    ] as const) {
      const receipt = encodePopReceipt(topic, queueId, offset, leaseId);
      expect(decodePopReceipt(receipt)).toEqual({ topic, queueId, offset, leaseId });
    }
    expect(encodePopReceipt('t', 35, 36, 1295)).toBe('z:10:zz:t');
  });

  it('refuses what it did not hand out with BAD_REQUEST', () => {
    for (const bad of ['', 'garbage', '1:2:3', '1:2:3:', ':2:3:t', '1::3:t', '1:2:X:t', '1:-2:3:t', '1:zzzzzzzzzzz:3:t', 42]) {
      expect(() => decodePopReceipt(bad as string)).toThrow(expect.objectContaining({ code: ErrorCode.BAD_REQUEST }));
    }
  });
});
