import type { Writable } from 'node:stream';
import { PacketStreamWriter, type OutboundPacketHandler } from '../packet-stream-writer';

/** Writes aedes' (3.1.1-shaped) outgoing packets of one v5 connection. */
export type Mqtt5OutboundHandler = OutboundPacketHandler;

const V5 = { protocolVersion: 5 };

/** aedes 1.x writes every packet as 3.1.1: a v5 connection's packets are routed to its handler, which writes them as v5. */
export const Mqtt5StreamWriter = {
  /** From now on, what aedes writes to `stream` goes through `handler`. */
  route(stream: Writable, handler: Mqtt5OutboundHandler): void {
    PacketStreamWriter.route(stream, handler);
  },

  /** Writes `packet` to `stream` as MQTT 5. */
  write(packet: object, stream: Writable): boolean {
    return PacketStreamWriter.writeWith(packet, stream, V5);
  },
};
