import type { Duplex } from 'node:stream';
import { GuardedConnection } from '@tessera/kernel';

const MAX_LENGTH_BYTES = 4;
/** How long a connection told why it is closed (see PACKET_TOO_LARGE) may take to read that before it is destroyed. */
const FAREWELL_MS = 1000;

/** The event a guard emits, before closing, when a header announces a packet over the limit; a listener may write a last packet. */
export const PACKET_TOO_LARGE = 'packetTooLarge';

/**
 * Sits between a connection and aedes (which has no packet size limit in 1.x): it follows the
 * packet boundaries in the fixed headers and refuses the connection as soon as a header
 * announces a packet larger than `maxPacketSize` or a malformed length, before any of it is
 * buffered. Everything else passes through untouched (writes: see GuardedConnection).
 *
 * An oversize packet emits PACKET_TOO_LARGE first: with a listener (an MQTT 5 connection, which
 * sends DISCONNECT 0x95), the guard ends its side and discards what still arrives for a moment
 * before it is destroyed, so the client can read the last packet; without one it is destroyed at once.
 */
export class MqttPacketSizeGuard extends GuardedConnection {
  private headerBytesSeen = 0;
  private remainingLength = 0;
  private lengthMultiplier = 1;
  private bodyBytesLeft = 0;

  constructor(
    inner: Duplex,
    private readonly maxPacketSize: number,
  ) {
    super(inner);
  }

  protected admit(chunk: Buffer): Buffer {
    const error = this.check(chunk);
    if (!error) return chunk;
    this.refuse(error);
    return chunk.subarray(0, 0);
  }

  private refuse(error: Error): void {
    this.refused = true;
    if (!(error instanceof PacketTooLargeError) || !this.emit(PACKET_TOO_LARGE, error)) {
      this.destroy(error);
      return;
    }
    this.end();
    setTimeout(() => this.destroy(error), FAREWELL_MS).unref();
  }

  private check(chunk: Buffer): Error | undefined {
    let i = 0;
    while (i < chunk.length) {
      if (this.bodyBytesLeft > 0) {
        const skipped = Math.min(this.bodyBytesLeft, chunk.length - i);
        this.bodyBytesLeft -= skipped;
        i += skipped;
        continue;
      }
      const byte = chunk[i++]!;
      if (this.headerBytesSeen === 0) {
        this.headerBytesSeen = 1;
        continue;
      }
      this.remainingLength += (byte & 0x7f) * this.lengthMultiplier;
      this.lengthMultiplier *= 128;
      this.headerBytesSeen++;
      if (byte & 0x80) {
        if (this.headerBytesSeen > MAX_LENGTH_BYTES) return new Error('malformed MQTT remaining length');
        continue;
      }
      const packetSize = this.headerBytesSeen + this.remainingLength;
      if (packetSize > this.maxPacketSize) {
        return new PacketTooLargeError(`MQTT packet of ${packetSize} bytes exceeds maxPacketSize ${this.maxPacketSize}`);
      }
      this.bodyBytesLeft = this.remainingLength;
      this.headerBytesSeen = 0;
      this.remainingLength = 0;
      this.lengthMultiplier = 1;
    }
    return undefined;
  }
}

export class PacketTooLargeError extends Error {
  override name = 'PacketTooLargeError';
}
