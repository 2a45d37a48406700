import { crc32c } from '@node-rs/crc32';
import type { AppendMessage } from '@tessera/kernel';
import { RecordLayout as L } from './record-layout';

export interface RecordPlacement {
  queueOffset: number;
  physicalOffset: number;
  storeTimestamp: number;
}

/**
 * Writes a message's record (layout in record-layout.ts) straight into `target` at `at`; `size`
 * comes from measureRecord. No intermediate buffers: one native CRC call per record.
 */
export function encodeRecord(
  target: Buffer,
  at: number,
  size: number,
  message: AppendMessage,
  topic: Buffer,
  placement: RecordPlacement,
): void {
  // DataView stores are an order of magnitude cheaper than Buffer.writeUInt32LE's checked calls.
  const view = viewOf(target);
  view.setUint32(at, size, true);
  view.setUint32(at + L.MAGIC, L.MESSAGE_MAGIC, true);
  view.setUint32(at + L.QUEUE_ID, message.queueId, true);
  setUint64(view, at + L.QUEUE_OFFSET, placement.queueOffset);
  setUint64(view, at + L.PHYSICAL_OFFSET, placement.physicalOffset);
  view.setInt32(at + L.FLAG, message.flag | 0, true);
  setUint64(view, at + L.BORN_TIMESTAMP, message.bornTimestamp);
  setUint64(view, at + L.STORE_TIMESTAMP, placement.storeTimestamp);
  view.setUint32(at + L.RECONSUME_TIMES, message.reconsumeTimes >>> 0, true);
  view.setUint16(at + L.TOPIC_LENGTH, topic.length, true);
  let cursor = at + L.FIXED_BYTES;
  cursor += topic.copy(target, cursor);
  const tagBytes = message.tag ? target.write(message.tag, cursor) : 0;
  view.setUint16(at + L.TAG_LENGTH, tagBytes, true);
  cursor += tagBytes;
  const keys = message.keys ?? [];
  view.setUint16(at + L.KEY_COUNT, keys.length, true);
  for (const key of keys) cursor = writeShortString(target, view, key, cursor);
  const propertiesStart = cursor;
  if (message.properties) {
    for (const name in message.properties) {
      cursor = writeShortString(target, view, name, cursor);
      cursor = writeShortString(target, view, message.properties[name]!, cursor);
    }
  }
  view.setUint32(at + L.PROPERTIES_LENGTH, cursor - propertiesStart, true);
  view.setUint32(at + L.BODY_LENGTH, message.body.length, true);
  message.body.copy(target, cursor);
  view.setUint32(at + L.CRC, crc32c(target.subarray(at + L.CHECKSUMMED_FROM, at + size)), true);
}

let cachedTarget: Buffer | undefined;
let cachedView: DataView | undefined;

function viewOf(target: Buffer): DataView {
  if (target !== cachedTarget) {
    cachedTarget = target;
    cachedView = new DataView(target.buffer, target.byteOffset, target.length);
  }
  return cachedView!;
}

function setUint64(view: DataView, at: number, value: number): void {
  const low = value >>> 0;
  view.setUint32(at, low, true);
  view.setUint32(at + 4, (value - low) / 4294967296, true);
}

/** Strings up to this length are copied char by char when they are ASCII: cheaper than a native call for each. */
const ASCII_LOOP_MAX_LENGTH = 64;

function writeShortString(target: Buffer, view: DataView, value: string, at: number): number {
  const length = value.length;
  let bytes = -1;
  if (length <= ASCII_LOOP_MAX_LENGTH) {
    bytes = length;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      if (code >= 0x80) {
        bytes = -1;
        break;
      }
      target[at + 2 + i] = code;
    }
  }
  if (bytes < 0) bytes = target.write(value, at + 2);
  view.setUint16(at, bytes, true);
  return at + 2 + bytes;
}

/** Writes the 8-byte marker that closes a segment: the next record starts the next segment. */
export function encodeEndOfSegment(target: Buffer, at: number, bytesLeftInSegment: number): void {
  target.writeUInt32LE(bytesLeftInSegment, at);
  target.writeUInt32LE(L.END_OF_SEGMENT_MAGIC, at + L.MAGIC);
}
