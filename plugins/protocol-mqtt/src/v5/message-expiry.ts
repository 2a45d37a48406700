/** The fields of a PUBLISH that Message Expiry (3.3.2.3.3) reads and writes. */
export interface ExpiringPacket {
  properties?: { messageExpiryInterval?: number };
  /** Absolute deadline (ms since epoch); aedes-packet keeps it on every copy and the persistence journals it. */
  messageExpiry?: number;
}

/** Turns the packet's Message Expiry Interval into an absolute deadline, once (at arrival). */
export function stampMessageExpiry(packet: ExpiringPacket, now = Date.now()): void {
  const interval = packet.properties?.messageExpiryInterval;
  if (interval === undefined || packet.messageExpiry !== undefined) return;
  packet.messageExpiry = now + interval * 1000;
}

export function isExpired(packet: ExpiringPacket, now = Date.now()): boolean {
  return packet.messageExpiry !== undefined && packet.messageExpiry <= now;
}

/** What is left of the interval, in whole seconds rounded up (a message about to expire still gets 1). */
export function remainingExpiryInterval(deadline: number, now = Date.now()): number {
  return Math.max(1, Math.ceil((deadline - now) / 1000));
}
