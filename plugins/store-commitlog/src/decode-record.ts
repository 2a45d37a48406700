import { encodeMessageId, type StoredMessage } from '@tessera/kernel';
import { InternedText } from './interned-text';
import { RecordLayout as L } from './record-layout';
import { uint64 } from './uint64';

const interned = new InternedText();

/**
 * Reads a record that checkRecord accepted. The body is a view into `source`, not a copy; the
 * topic, tag and property names are shared strings (see InternedText).
 */
export function decodeRecord(source: Buffer, at: number, storeId: number): StoredMessage {
  const size = source.readUInt32LE(at);
  const physicalOffset = uint64.read(source, at + L.PHYSICAL_OFFSET);
  let cursor = at + L.FIXED_BYTES;
  const topicEnd = cursor + source.readUInt16LE(at + L.TOPIC_LENGTH);
  const topic = interned.decode(source, cursor, topicEnd);
  cursor = topicEnd + source.readUInt16LE(at + L.TAG_LENGTH);
  const tag = cursor > topicEnd ? interned.decode(source, topicEnd, cursor) : undefined;
  const keyCount = source.readUInt16LE(at + L.KEY_COUNT);
  const keys: string[] = new Array(keyCount);
  for (let i = 0; i < keyCount; i++) {
    const length = source.readUInt16LE(cursor);
    keys[i] = source.toString('utf8', cursor + 2, cursor + 2 + length);
    cursor += 2 + length;
  }
  const propertiesEnd = cursor + source.readUInt32LE(at + L.PROPERTIES_LENGTH);
  const properties: Record<string, string> = {};
  while (cursor < propertiesEnd) {
    const nameLength = source.readUInt16LE(cursor);
    const name = interned.decode(source, cursor + 2, cursor + 2 + nameLength);
    cursor += 2 + nameLength;
    const valueLength = source.readUInt16LE(cursor);
    const value = source.toString('utf8', cursor + 2, cursor + 2 + valueLength);
    // An assignment is fast; only "__proto__" needs defineProperty to stay a plain property.
    if (name === '__proto__') Object.defineProperty(properties, name, { value, enumerable: true, writable: true, configurable: true });
    else properties[name] = value;
    cursor += 2 + valueLength;
  }
  return {
    msgId: encodeMessageId(storeId, physicalOffset),
    topic,
    queueId: source.readUInt32LE(at + L.QUEUE_ID),
    queueOffset: uint64.read(source, at + L.QUEUE_OFFSET),
    commitLogOffset: physicalOffset,
    storeSize: size,
    body: source.subarray(cursor, at + size),
    tag,
    keys,
    properties,
    bornTimestamp: uint64.read(source, at + L.BORN_TIMESTAMP),
    storeTimestamp: uint64.read(source, at + L.STORE_TIMESTAMP),
    flag: source.readInt32LE(at + L.FLAG),
    reconsumeTimes: source.readUInt32LE(at + L.RECONSUME_TIMES),
  };
}
