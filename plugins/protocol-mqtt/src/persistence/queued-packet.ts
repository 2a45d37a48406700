import type { PersistedPacket } from './persisted-packet';

/**
 * The copy aedes-packet's `new Packet(original)` makes (the reference persistence queues those):
 * the same fields in the same order, so a packet reads back with the shape the reference returns.
 */
export function queuedPacket(original: PersistedPacket): PersistedPacket {
  const packet: PersistedPacket = {};
  for (const field of ['clientId', 'nl', 'properties', 'messageExpiry']) {
    if (Object.prototype.hasOwnProperty.call(original, field)) packet[field] = original[field];
  }
  packet.cmd = original.cmd || 'publish';
  packet.brokerId = original.brokerId;
  packet.brokerCounter = original.brokerCounter || 0;
  packet.topic = original.topic;
  packet.payload = original.payload || Buffer.alloc(0);
  packet.qos = original.qos || 0;
  packet.retain = original.retain || false;
  packet.dup = original.dup || false;
  if (packet.qos > 0 || packet.cmd !== 'publish') packet.messageId = undefined;
  return packet;
}
