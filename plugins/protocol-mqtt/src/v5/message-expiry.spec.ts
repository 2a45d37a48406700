import { isExpired, remainingExpiryInterval, stampMessageExpiry, type ExpiringPacket } from './message-expiry';

describe('message expiry', () => {
  it('stamps the deadline once, from the interval', () => {
    const packet: ExpiringPacket = { properties: { messageExpiryInterval: 10 } };
    stampMessageExpiry(packet, 1_000);
    stampMessageExpiry(packet, 5_000);
    expect(packet.messageExpiry).toBe(11_000);
    const plain: ExpiringPacket = {};
    stampMessageExpiry(plain, 1_000);
    expect(plain.messageExpiry).toBeUndefined();
  });

  it('is expired at the deadline, and the remaining interval rounds up to at least 1 s', () => {
    expect(isExpired({ messageExpiry: 10_000 }, 9_999)).toBe(false);
    expect(isExpired({ messageExpiry: 10_000 }, 10_000)).toBe(true);
    expect(isExpired({}, 10_000)).toBe(false);
    expect(remainingExpiryInterval(10_000, 1_000)).toBe(9);
    expect(remainingExpiryInterval(10_000, 1_001)).toBe(9);
    expect(remainingExpiryInterval(10_000, 9_999)).toBe(1);
  });
});
