import type { Duplex } from 'node:stream';
import { GuardedConnection } from '@tessera/kernel';
import { ConnectionFailureReason, type AmqpTrafficObserver } from './amqp-metrics';

const HEADER_BYTES = 8;
const FRAME_HEADER_BYTES = 8;
const AMQP = Buffer.from('AMQP', 'ascii');
const SASL_FRAME_TYPE = 0x01;
/** The descriptor of sasl-outcome: 0x00, smallulong, 0x44. */
const SASL_OUTCOME = Buffer.from([0x00, 0x53, 0x44]);

export const SASL_PROTOCOL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0x03, 0x01, 0x00, 0x00]);
export const AMQP_PROTOCOL_HEADER = Buffer.from([0x41, 0x4d, 0x51, 0x50, 0x00, 0x01, 0x00, 0x00]);

export interface AmqpConnectionGuardOptions {
  maxFrameSize: number;
  /** Whether a client may skip SASL (send the AMQP header first). */
  allowNoSasl: boolean;
  /** How long to wait for rhea to send a close frame before the socket is cut. */
  closeGraceMs: number;
  /** Called once AMQP frames flow and one breaks the rules: close the connection with this error. */
  onFramingError(reason: ConnectionFailureReason, condition: string, description: string): void;
  /** Called when the connection is refused before AMQP frames flow (bad header, a SASL frame too large...). */
  onRefused(reason: ConnectionFailureReason, description: string): void;
  /** Tallies the bytes read and written. */
  traffic: AmqpTrafficObserver;
}

/**
 * Sits between a socket and rhea, which trusts its peer: it checks each protocol header (a
 * wrong one is answered with the header Tessera speaks, then the socket closes, as AMQP 2.2
 * asks), follows frame boundaries and refuses a frame larger than max-frame-size before
 * buffering it, and ends the connection after a failed SASL outcome (rhea would keep it open).
 */
export class AmqpConnectionGuard extends GuardedConnection {
  private headerBytes: Buffer[] = [];
  private awaitingHeader = true;
  private frameHeader = Buffer.alloc(0);
  private frameBytesLeft = 0;
  private headerSeenBefore = false;
  private amqpFramesFlow = false;

  constructor(
    inner: Duplex,
    private readonly options: AmqpConnectionGuardOptions,
  ) {
    super(inner);
  }

  protected override written(chunk: Buffer): void {
    this.options.traffic.sent(chunk.length);
    if (!this.amqpFramesFlow && isFailedSaslOutcome(chunk)) this.refuse(ConnectionFailureReason.AUTHENTICATION_FAILED, 'SASL authentication failed');
  }

  /** The bytes of `chunk` to pass on; stops at (and acts on) the first violation. */
  protected admit(chunk: Buffer): Buffer {
    this.options.traffic.received(chunk.length);
    let i = 0;
    while (i < chunk.length) {
      if (this.awaitingHeader) {
        const wanted = HEADER_BYTES - byteCount(this.headerBytes);
        this.headerBytes.push(chunk.subarray(i, i + wanted));
        i += Math.min(wanted, chunk.length - i);
        if (byteCount(this.headerBytes) < HEADER_BYTES) break;
        const header = Buffer.concat(this.headerBytes);
        this.headerBytes = [];
        if (!this.acceptHeader(header)) return chunk.subarray(0, 0);
        this.awaitingHeader = false;
        continue;
      }
      if (this.frameBytesLeft > 0) {
        const skipped = Math.min(this.frameBytesLeft, chunk.length - i);
        this.frameBytesLeft -= skipped;
        i += skipped;
        continue;
      }
      const wanted = 4 - this.frameHeader.length;
      this.frameHeader = Buffer.concat([this.frameHeader, chunk.subarray(i, i + wanted)]);
      i += Math.min(wanted, chunk.length - i);
      if (this.frameHeader.length < 4) break;
      const size = this.frameHeader.readUInt32BE(0);
      if (this.frameHeader.equals(AMQP)) {
        // The next protocol header (AMQP after SASL) starts where a frame would.
        this.frameHeader = Buffer.alloc(0);
        this.awaitingHeader = true;
        this.headerBytes = [AMQP];
        continue;
      }
      this.frameHeader = Buffer.alloc(0);
      const violation =
        size < FRAME_HEADER_BYTES
          ? { reason: ConnectionFailureReason.FRAMING_ERROR, description: `frame size ${size} is smaller than a frame header` }
          : size > this.options.maxFrameSize
            ? { reason: ConnectionFailureReason.FRAME_TOO_LARGE, description: `frame of ${size} bytes exceeds max-frame-size ${this.options.maxFrameSize}` }
            : undefined;
      if (violation) {
        this.refused = true;
        // Acted on once rhea has read the frames before the bad one (an open, say), so its close follows them.
        setImmediate(() => this.violate(violation.reason, violation.description));
        return chunk.subarray(0, i - 4);
      }
      this.frameBytesLeft = size - 4;
    }
    return chunk;
  }

  private acceptHeader(header: Buffer): boolean {
    const isSasl = header.equals(SASL_PROTOCOL_HEADER);
    const isAmqp = header.equals(AMQP_PROTOCOL_HEADER);
    if (isAmqp && (this.headerSeenBefore || this.options.allowNoSasl)) {
      this.amqpFramesFlow = true;
      this.headerSeenBefore = true;
      return true;
    }
    if (isSasl && !this.headerSeenBefore) {
      this.headerSeenBefore = true;
      return true;
    }
    // AMQP 2.2: answer an unsupported header with one Tessera supports, then close.
    this.refused = true;
    const answer = this.headerSeenBefore ? AMQP_PROTOCOL_HEADER : SASL_PROTOCOL_HEADER;
    this.inner.end(answer);
    this.options.traffic.sent(answer.length);
    this.cutAfterGrace();
    const reason = header.subarray(0, 4).equals(AMQP) ? ConnectionFailureReason.UNSUPPORTED_PROTOCOL : ConnectionFailureReason.NOT_AMQP;
    this.options.onRefused(reason, `unsupported protocol header ${header.toString('hex')}`);
    return false;
  }

  private violate(reason: ConnectionFailureReason, description: string): void {
    if (this.amqpFramesFlow) {
      this.options.onFramingError(reason, 'amqp:connection:framing-error', description);
      this.cutAfterGrace();
      return;
    }
    this.options.onRefused(reason, description);
    this.inner.destroy();
  }

  private refuse(reason: ConnectionFailureReason, description: string): void {
    this.refused = true;
    this.options.onRefused(reason, description);
    this.inner.end();
    this.cutAfterGrace();
  }

  private cutAfterGrace(): void {
    setTimeout(() => this.inner.destroy(), this.options.closeGraceMs).unref();
  }
}

function byteCount(buffers: readonly Buffer[]): number {
  return buffers.reduce((sum, buffer) => sum + buffer.length, 0);
}

/** rhea writes each frame on its own: a SASL outcome frame with a code other than 0 (ok). */
function isFailedSaslOutcome(chunk: Buffer): boolean {
  if (chunk.length < FRAME_HEADER_BYTES + 3 || chunk[5] !== SASL_FRAME_TYPE) return false;
  const body = chunk.readUInt8(4) * 4;
  if (!chunk.subarray(body, body + 3).equals(SASL_OUTCOME)) return false;
  const code = outcomeCode(chunk.subarray(body + 3));
  return code !== 0;
}

/** The first field (code, a ubyte) of the sasl-outcome list. */
function outcomeCode(list: Buffer): number | undefined {
  const constructor = list[0];
  const firstField = constructor === 0xc0 ? 3 : constructor === 0xd0 ? 9 : undefined;
  if (firstField === undefined || list[firstField] !== 0x50) return undefined;
  return list[firstField + 1];
}
