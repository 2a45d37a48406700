import type { Writable } from 'node:stream';
// The module object itself (not an import-star copy): aedes' lib/write.js looks writeToStream up on it at every call.
import mqttPacket = require('mqtt-packet');
import { encodeV4Packet } from './encode-v4-packet';
import { SessionPresence } from './session-presence';

/** Writes aedes' (3.1.1-shaped) outgoing packets of one connection that speaks another version. */
export interface OutboundPacketHandler {
  outbound(packet: Record<string, unknown>): boolean;
}

type WriteToStream = (packet: unknown, stream: Writable, opts?: object) => boolean;

const handlers = new WeakMap<object, OutboundPacketHandler>();
const writeToStream = mqttPacket.writeToStream as unknown as WriteToStream;
let hooked = false;

/**
 * aedes 1.x writes every packet with `mqtt.writeToStream(packet, client.conn)`. This replaces
 * writeToStream on mqtt-packet's module object, once per process: a packet aedes writes to a
 * routed stream (a v5 connection) goes to that stream's handler; a 3.1.1 PUBLISH or ack goes out
 * as one buffer in one write (encodeV4Packet); a CONNACK gets its Session Present corrected
 * (SessionPresence); anything else, and every call that passes options
 * (the handlers' own v5 writes), goes to mqtt-packet as before.
 */
export const PacketStreamWriter = {
  install(): void {
    if (hooked) return;
    hooked = true;
    const hook: WriteToStream = (packet, target, opts) => {
      if (opts !== undefined) return writeToStream(packet, target, opts);
      const handler = handlers.get(target);
      if (handler) return handler.outbound(packet as Record<string, unknown>);
      const encoded = encodeV4Packet(packet as Record<string, unknown>);
      if (encoded) return target.write(encoded);
      if ((packet as { cmd?: unknown }).cmd === 'connack') SessionPresence.correct(packet as Record<string, unknown>, target);
      return writeToStream(packet, target);
    };
    // mqtt.js switches the number cache through this accessor.
    Object.defineProperty(hook, 'cacheNumbers', Object.getOwnPropertyDescriptor(writeToStream, 'cacheNumbers')!);
    (mqttPacket as unknown as { writeToStream: WriteToStream }).writeToStream = hook;
  },

  /** From now on, what aedes writes to `stream` goes through `handler`. */
  route(stream: Writable, handler: OutboundPacketHandler): void {
    PacketStreamWriter.install();
    handlers.set(stream, handler);
  },

  /** Writes `packet` to `stream` with mqtt-packet's own writer and these options (e.g. protocolVersion 5). */
  writeWith(packet: object, stream: Writable, opts: object): boolean {
    return writeToStream(packet, stream, opts);
  },
};
