import { crc32c } from '@node-rs/crc32';
import { RecordLayout as L } from './record-layout';
import { uint64 } from './uint64';

export type RecordCheck =
  | { kind: 'message'; size: number }
  | { kind: 'end-of-segment'; size: number }
  /** Zero bytes (or the end of the file) where a record would start: nothing was written here. */
  | { kind: 'blank' }
  /** A plausible header whose record runs past the bytes in `source`: read more, or it is torn. */
  | { kind: 'incomplete'; size: number }
  | { kind: 'invalid'; reason: string };

/**
 * Whether `source[at..]` holds a whole, intact record that belongs at `physicalOffset`: size in
 * bounds, magic, its own recorded position, field lengths adding up, and (when asked) the CRC.
 * `segmentRemaining` is how many bytes of the segment's capacity follow the record's start.
 */
export function checkRecord(
  source: Buffer,
  at: number,
  segmentRemaining: number,
  physicalOffset: number,
  verifyChecksum: boolean,
): RecordCheck {
  const inSource = source.length - at;
  if (inSource < L.END_OF_SEGMENT_BYTES) return inSource === 0 ? { kind: 'blank' } : { kind: 'invalid', reason: 'torn record header' };
  const size = source.readUInt32LE(at);
  const magic = source.readUInt32LE(at + L.MAGIC);
  if (size === 0 && magic === 0) return { kind: 'blank' };
  if (magic === L.END_OF_SEGMENT_MAGIC) {
    return size === segmentRemaining ? { kind: 'end-of-segment', size } : { kind: 'invalid', reason: 'misplaced end-of-segment marker' };
  }
  if (magic !== L.MESSAGE_MAGIC) return { kind: 'invalid', reason: `bad magic 0x${magic.toString(16)}` };
  if (size < L.FIXED_BYTES || size > segmentRemaining) return { kind: 'invalid', reason: `record size ${size} out of bounds` };
  if (size > inSource) return { kind: 'incomplete', size };
  if (uint64.read(source, at + L.PHYSICAL_OFFSET) !== physicalOffset) {
    return { kind: 'invalid', reason: 'record does not belong at this position' };
  }
  let cursor = at + L.FIXED_BYTES + source.readUInt16LE(at + L.TOPIC_LENGTH) + source.readUInt16LE(at + L.TAG_LENGTH);
  const end = at + size;
  const keyCount = source.readUInt16LE(at + L.KEY_COUNT);
  for (let i = 0; i < keyCount; i++) {
    if (cursor + 2 > end) return { kind: 'invalid', reason: 'keys overrun the record' };
    cursor += 2 + source.readUInt16LE(cursor);
  }
  cursor += source.readUInt32LE(at + L.PROPERTIES_LENGTH) + source.readUInt32LE(at + L.BODY_LENGTH);
  if (cursor !== end) return { kind: 'invalid', reason: 'field lengths do not add up to the record size' };
  if (verifyChecksum && crc32c(source.subarray(at + L.CHECKSUMMED_FROM, end)) !== source.readUInt32LE(at + L.CRC)) {
    return { kind: 'invalid', reason: 'checksum mismatch' };
  }
  return { kind: 'message', size };
}
