const MAX_LENGTH_BYTES = 4;
const PUBLISH_TYPE = 0x30;

/** What crossed MQTT connections one way: bytes, packets, and PUBLISH packets by QoS (0, 1, 2). */
export interface TrafficTally {
  bytes: number;
  packets: number;
  readonly publishes: number[];
}

export function emptyTrafficTally(): TrafficTally {
  return { bytes: 0, packets: 0, publishes: [0, 0, 0] };
}

/**
 * Follows the packet boundaries of one direction of an MQTT byte stream from the fixed headers
 * alone (type byte, remaining length), skipping the bodies, whatever the chunking. Given a tally,
 * it adds the bytes, the packets, and the PUBLISH ones by QoS (a QoS 3 header is not counted) to it
 * on the way.
 */
export class MqttPacketScanner {
  private headerBytesSeen = 0;
  private remainingLength = 0;
  private lengthMultiplier = 1;
  private bodyBytesLeft = 0;

  /** @param maxPacketSize a header announcing a larger packet (fixed header included) is an error */
  constructor(private readonly maxPacketSize = Number.POSITIVE_INFINITY) {}

  /** Reads `chunk`; the error, if any, is for the first header that breaks a rule (the rest of the chunk is not read). */
  scan(chunk: Buffer, tally?: TrafficTally): PacketScanError | undefined {
    if (tally) tally.bytes += chunk.length;
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
        if (!tally) continue;
        tally.packets++;
        if ((byte & 0xf0) === PUBLISH_TYPE) {
          const qos = (byte >> 1) & 3;
          if (qos < 3) tally.publishes[qos]!++;
        }
        continue;
      }
      this.remainingLength += (byte & 0x7f) * this.lengthMultiplier;
      this.lengthMultiplier *= 128;
      this.headerBytesSeen++;
      if (byte & 0x80) {
        if (this.headerBytesSeen > MAX_LENGTH_BYTES) return new PacketScanError('malformed MQTT remaining length', false);
        continue;
      }
      const packetSize = this.headerBytesSeen + this.remainingLength;
      if (packetSize > this.maxPacketSize) {
        return new PacketScanError(`MQTT packet of ${packetSize} bytes exceeds maxPacketSize ${this.maxPacketSize}`, true);
      }
      this.bodyBytesLeft = this.remainingLength;
      this.headerBytesSeen = 0;
      this.remainingLength = 0;
      this.lengthMultiplier = 1;
    }
    return undefined;
  }
}

export class PacketScanError extends Error {
  override name = 'PacketScanError';

  constructor(
    message: string,
    /** The packet is well formed but larger than allowed. */
    readonly tooLarge: boolean,
  ) {
    super(message);
  }
}
