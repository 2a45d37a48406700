import type { Duplex } from 'node:stream';
import { GuardedConnection } from '@tessera/kernel';
import { MqttPacketScanner, type PacketScanError, type TrafficTally } from './mqtt-packet-scanner';

/** How long a connection told why it is closed (see PACKET_TOO_LARGE) may take to read that before it is destroyed. */
const FAREWELL_MS = 1000;

/** The event a guard emits, before closing, when a header announces a packet over the limit; a listener may write a last packet. */
export const PACKET_TOO_LARGE = 'packetTooLarge';

/** What crossed every MQTT connection each way since the front was created: the guards add to it as chunks pass. */
export interface MqttTrafficTotals {
  readonly totalReceived: TrafficTally;
  readonly totalSent: TrafficTally;
}

/**
 * Sits between a connection and aedes (which has no packet size limit in 1.x): it follows the
 * packet boundaries in the fixed headers and refuses the connection as soon as a header
 * announces a packet larger than `maxPacketSize` or a malformed length, before any of it is
 * buffered. Everything else passes through untouched (writes: see GuardedConnection). Given the
 * traffic totals, it adds what crosses both ways to them (the outgoing headers are followed too).
 *
 * An oversize packet emits PACKET_TOO_LARGE first: with a listener (an MQTT 5 connection, which
 * sends DISCONNECT 0x95), the guard ends its side and discards what still arrives for a moment
 * before it is destroyed, so the client can read the last packet; without one it is destroyed at once.
 */
export class MqttPacketSizeGuard extends GuardedConnection {
  private readonly inbound: MqttPacketScanner;
  private readonly outbound = new MqttPacketScanner();

  constructor(
    inner: Duplex,
    maxPacketSize: number,
    private readonly traffic?: MqttTrafficTotals,
  ) {
    super(inner);
    this.inbound = new MqttPacketScanner(maxPacketSize);
  }

  protected admit(chunk: Buffer): Buffer {
    const error = this.inbound.scan(chunk, this.traffic?.totalReceived);
    if (!error) return chunk;
    this.refuse(error);
    return chunk.subarray(0, 0);
  }

  protected override written(chunk: Buffer): void {
    if (this.traffic) this.outbound.scan(chunk, this.traffic.totalSent);
  }

  private refuse(error: PacketScanError): void {
    this.refused = true;
    if (!error.tooLarge || !this.emit(PACKET_TOO_LARGE, error)) {
      this.destroy(error);
      return;
    }
    this.end();
    setTimeout(() => this.destroy(error), FAREWELL_MS).unref();
  }
}
