import { Duplex } from 'node:stream';

const MAX_LENGTH_BYTES = 4;
/** How long a connection told why it is closed (see PACKET_TOO_LARGE) may take to read that before it is destroyed. */
const FAREWELL_MS = 1000;

/** The event a guard emits, before closing, when a header announces a packet over the limit; a listener may write a last packet. */
export const PACKET_TOO_LARGE = 'packetTooLarge';

/**
 * Sits between a connection and aedes (which has no packet size limit in 1.x): it follows the
 * packet boundaries in the fixed headers and destroys the connection as soon as a header
 * announces a packet larger than `maxPacketSize` or a malformed length, before any of it is
 * buffered. Everything else passes through untouched. Writes made in one tick leave in one
 * corked write (aedes writes packet by packet), and a write is done once the connection took it,
 * not once it was flushed, so packets don't wait for each other; what is still corked when the guard
 * is destroyed is flushed first (a last DISCONNECT gets out).
 *
 * An oversize packet emits PACKET_TOO_LARGE first: with a listener (an MQTT 5 connection, which
 * sends DISCONNECT 0x95), the guard ends its side and discards what still arrives for a moment
 * before it is destroyed, so the client can read the last packet; without one it is destroyed at once.
 */
export class MqttPacketSizeGuard extends Duplex {
  private headerBytesSeen = 0;
  private remainingLength = 0;
  private lengthMultiplier = 1;
  private bodyBytesLeft = 0;
  private corked = false;
  private refused = false;

  constructor(
    private readonly inner: Duplex,
    private readonly maxPacketSize: number,
  ) {
    super({ allowHalfOpen: false });
    inner.on('data', (chunk: Buffer) => {
      if (this.refused) return;
      const error = this.check(chunk);
      if (error) {
        this.refuse(error);
        return;
      }
      if (!this.push(chunk)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (error) => this.destroy(error));
    inner.on('close', () => this.destroy());
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.corkUntilNextTick();
    this.afterAccepted(this.inner.write(chunk, encoding), callback);
  }

  override _writev(chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>, callback: (error?: Error | null) => void): void {
    this.corkUntilNextTick();
    let accepted = true;
    for (const { chunk, encoding } of chunks) accepted = this.inner.write(chunk, encoding);
    this.afterAccepted(accepted, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end(callback);
  }

  override destroy(error?: Error): this {
    // mqtt-packet corks the stream for the pieces of each packet: a packet written in this tick still goes out.
    if (!this.destroyed && !this.inner.destroyed) while (this.writableCorked > 0) this.uncork();
    return super.destroy(error);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.corked) {
      this.corked = false;
      this.inner.uncork();
    }
    this.inner.destroy();
    callback(error);
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

  private corkUntilNextTick(): void {
    if (this.corked) return;
    this.corked = true;
    this.inner.cork();
    process.nextTick(() => {
      this.corked = false;
      this.inner.uncork();
    });
  }

  /** Backpressure: the next write waits for 'drain' only when the connection's buffer is full. */
  private afterAccepted(accepted: boolean, callback: (error?: Error | null) => void): void {
    if (accepted) callback();
    else this.inner.once('drain', () => callback());
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
