import { SystemProperties } from '@tessera/kernel';
import rhea from 'rhea';
import { SectionCode, valueStart } from './amqp-message-layout';
import { AmqpProperties } from './amqp-properties';
import { rheaCodec } from './rhea-codec';

/**
 * Message annotations a dead letter is delivered with, from the properties feature-retry set
 * when it moved the message to `%DLQ%<group>`.
 */
export const DeadLetterAnnotation = {
  /** Why the last delivery failed (`__FAILURE_REASON`): a rejecting consumer's condition and description, or the redelivery limit. */
  REASON: 'x-opt-dead-letter-reason',
  /** The topic the message was first sent to (`__REAL_TOPIC`). */
  ORIGINAL_ADDRESS: 'x-opt-original-address',
  /** The Tessera id of the message as first sent (`__ORIGIN_MSG_ID`). */
  ORIGINAL_MESSAGE_ID: 'x-opt-original-message-id',
  /** Failed deliveries in all (`__FAILURE_COUNT`), a uint. */
  DELIVERY_FAILURES: 'x-opt-delivery-failures',
} as const;

const ANNOTATION_NAMES = new Set<string>(Object.values(DeadLetterAnnotation));

const types = rhea.types as unknown as {
  wrap_symbol(value: string): unknown;
  wrap_string(value: string): unknown;
  wrap_uint(value: number): unknown;
};

/**
 * The message-annotations section a consumer is sent for a stored message: the one the publisher
 * sent, byte for byte, and for a dead letter the entries of DeadLetterAnnotation added (replacing
 * any of the same name). Undefined when there is none.
 */
export function messageAnnotationsSection(properties: Readonly<Record<string, string>>): Buffer | undefined {
  const stored = properties[AmqpProperties.ANNOTATIONS];
  const section = stored === undefined ? undefined : Buffer.from(stored, 'base64');
  const added = deadLetterEntries(properties);
  if (added === undefined) return section;
  const kept = section ? entriesWithout(section, ANNOTATION_NAMES) : { bytes: Buffer.alloc(0), count: 0 };
  const header = Buffer.alloc(12);
  header.writeUInt8(0x00, 0);
  header.writeUInt8(0x53, 1);
  header.writeUInt8(SectionCode.MESSAGE_ANNOTATIONS, 2);
  header.writeUInt8(0xd1, 3);
  header.writeUInt32BE(4 + kept.bytes.length + added.bytes.length, 4);
  header.writeUInt32BE(2 * (kept.count + added.count), 8);
  return Buffer.concat([header, kept.bytes, added.bytes]);
}

interface Entries {
  bytes: Buffer;
  /** Key-value pairs. */
  count: number;
}

function deadLetterEntries(properties: Readonly<Record<string, string>>): Entries | undefined {
  const failures = properties[SystemProperties.FAILURE_COUNT];
  if (failures === undefined) return undefined;
  const writer = rheaCodec.writer();
  let count = 0;
  const add = (name: string, value: unknown) => {
    writer.write(types.wrap_symbol(name));
    writer.write(value);
    count++;
  };
  const text = (name: string, property: string) => {
    const value = properties[property];
    if (value !== undefined) add(name, types.wrap_string(value));
  };
  text(DeadLetterAnnotation.REASON, SystemProperties.FAILURE_REASON);
  text(DeadLetterAnnotation.ORIGINAL_ADDRESS, SystemProperties.REAL_TOPIC);
  text(DeadLetterAnnotation.ORIGINAL_MESSAGE_ID, SystemProperties.ORIGIN_MSG_ID);
  const failureCount = Number(failures);
  if (Number.isInteger(failureCount) && failureCount >= 0 && failureCount <= 0xffffffff) add(DeadLetterAnnotation.DELIVERY_FAILURES, types.wrap_uint(failureCount));
  return { bytes: writer.toBuffer(), count };
}

/** The encoded key-value pairs of a message-annotations section, without those whose key is in `names`. */
function entriesWithout(section: Buffer, names: ReadonlySet<string>): Entries {
  const map = valueStart(section, 0);
  if (section[map] !== 0xc1 && section[map] !== 0xd1) return { bytes: Buffer.alloc(0), count: 0 };
  const wide = section[map] === 0xd1;
  const size = wide ? section.readUInt32BE(map + 1) : section[map + 1]!;
  const first = wide ? map + 9 : map + 3;
  const end = map + (wide ? 5 : 2) + size;
  const reader = rheaCodec.reader(section.subarray(first, end));
  const kept: Buffer[] = [];
  let count = 0;
  while (reader.remaining() > 0) {
    const start = reader.position;
    const key = reader.read().value;
    reader.read();
    if (typeof key === 'string' && names.has(key)) continue;
    kept.push(section.subarray(first + start, first + reader.position));
    count++;
  }
  return { bytes: Buffer.concat(kept), count };
}
