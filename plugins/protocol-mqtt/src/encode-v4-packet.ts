const MAX_REMAINING_LENGTH = 268_435_455;
const ACK_HEADERS: Readonly<Record<string, number>> = { puback: 0x40, pubrec: 0x50, pubrel: 0x62, pubcomp: 0x70 };
const DUP = 0x08;

interface OutgoingPacket {
  cmd?: unknown;
  topic?: unknown;
  payload?: unknown;
  qos?: unknown;
  messageId?: unknown;
  retain?: unknown;
  dup?: unknown;
  properties?: unknown;
}

/**
 * An MQTT 3.1.1 PUBLISH, PUBACK, PUBREC, PUBREL or PUBCOMP encoded into one buffer, byte for byte
 * what mqtt-packet's writeToStream writes (specced against it); undefined for any other packet
 * or one this does not take (mqtt-packet then writes it, and refuses it if it is invalid).
 * mqtt-packet writes a packet as five or six stream writes, corks the stream and schedules a
 * process.nextTick per packet, and calls a disabled `debug` a dozen times: on a broker forwarding
 * tens of thousands of messages a second that was more time than storing them.
 */
export function encodeV4Packet(packet: OutgoingPacket): Buffer | undefined {
  const id = packet.messageId;
  if (packet.cmd === 'publish') return encodePublish(packet);
  const header = typeof packet.cmd === 'string' ? ACK_HEADERS[packet.cmd] : undefined;
  if (header === undefined || !isPacketId(id)) return undefined;
  const out = Buffer.allocUnsafe(4);
  // PUBREL's flags are fixed at 0010 in 3.1.1 (3.6.1): never a DUP bit.
  out[0] = header;
  out[1] = 2;
  out.writeUInt16BE(id, 2);
  return out;
}

function encodePublish(packet: OutgoingPacket): Buffer | undefined {
  const { topic, qos = 0, messageId } = packet;
  const payload = packet.payload ?? EMPTY;
  if (typeof topic !== 'string' || topic.length === 0 || (qos !== 0 && qos !== 1 && qos !== 2)) return undefined;
  if (qos > 0 && !isPacketId(messageId)) return undefined;
  if (!Buffer.isBuffer(payload) && typeof payload !== 'string') return undefined;
  const topicBytes = Buffer.byteLength(topic);
  const payloadBytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  const remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + payloadBytes;
  if (topicBytes > 0xffff || remaining > MAX_REMAINING_LENGTH) return undefined;
  const out = Buffer.allocUnsafe(1 + varIntBytes(remaining) + remaining);
  out[0] = 0x30 | (packet.dup ? DUP : 0) | (qos << 1) | (packet.retain ? 1 : 0);
  let at = writeVarInt(out, 1, remaining);
  out.writeUInt16BE(topicBytes, at);
  at += 2;
  at += out.write(topic, at);
  if (qos > 0) at = out.writeUInt16BE(messageId as number, at);
  if (typeof payload === 'string') out.write(payload, at);
  else payload.copy(out, at);
  return out;
}

const EMPTY = Buffer.alloc(0);

function isPacketId(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id <= 0xffff;
}

function varIntBytes(value: number): number {
  return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
}

function writeVarInt(out: Buffer, at: number, value: number): number {
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out[at++] = byte;
  } while (value > 0);
  return at;
}
