import type { Writable } from 'node:stream';
// The module object itself (not an import-star copy): aedes' lib/write.js looks writeToStream up on it at every call.
import mqttPacket = require('mqtt-packet');

/** Writes aedes' (3.1.1-shaped) outgoing packets of one v5 connection. */
export interface Mqtt5OutboundHandler {
  outbound(packet: Record<string, unknown>): boolean;
}

type WriteToStream = (packet: unknown, stream: Writable, opts?: object) => boolean;

const V5 = { protocolVersion: 5 };
const handlers = new WeakMap<object, Mqtt5OutboundHandler>();
const writeToStream = mqttPacket.writeToStream as unknown as WriteToStream;
let hooked = false;

/**
 * aedes 1.x writes every packet with `mqtt.writeToStream(packet, client.conn)`, i.e. as 3.1.1.
 * This replaces writeToStream on mqtt-packet's module object once, so a packet aedes writes to the
 * stream of a v5 connection goes to that connection's handler; any other call (3.1.1 streams, or
 * calls that pass options, like the handlers' own v5 writes) goes straight to mqtt-packet.
 */
export const Mqtt5StreamWriter = {
  /** From now on, what aedes writes to `stream` goes through `handler`. */
  route(stream: Writable, handler: Mqtt5OutboundHandler): void {
    if (!hooked) {
      hooked = true;
      const hook: WriteToStream = (packet, target, opts) => {
        const handler = opts === undefined ? handlers.get(target) : undefined;
        return handler ? handler.outbound(packet as Record<string, unknown>) : writeToStream(packet, target, opts);
      };
      // mqtt.js switches the number cache through this accessor.
      Object.defineProperty(hook, 'cacheNumbers', Object.getOwnPropertyDescriptor(writeToStream, 'cacheNumbers')!);
      (mqttPacket as unknown as { writeToStream: WriteToStream }).writeToStream = hook;
    }
    handlers.set(stream, handler);
  },

  /** Writes `packet` to `stream` as MQTT 5. */
  write(packet: object, stream: Writable): boolean {
    return writeToStream(packet, stream, V5);
  },
};
