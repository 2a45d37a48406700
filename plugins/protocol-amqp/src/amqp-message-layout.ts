import { rheaCodec } from './rhea-codec';

/** Section descriptor codes of AMQP 1.0 (3.2). */
export const SectionCode = {
  HEADER: 0x70,
  DELIVERY_ANNOTATIONS: 0x71,
  MESSAGE_ANNOTATIONS: 0x72,
  PROPERTIES: 0x73,
  APPLICATION_PROPERTIES: 0x74,
  DATA: 0x75,
  SEQUENCE: 0x76,
  VALUE: 0x77,
  FOOTER: 0x78,
} as const;

const SYMBOLIC_CODES: Record<string, number> = {
  'amqp:header:list': SectionCode.HEADER,
  'amqp:delivery-annotations:map': SectionCode.DELIVERY_ANNOTATIONS,
  'amqp:message-annotations:map': SectionCode.MESSAGE_ANNOTATIONS,
  'amqp:properties:list': SectionCode.PROPERTIES,
  'amqp:application-properties:map': SectionCode.APPLICATION_PROPERTIES,
  'amqp:data:binary': SectionCode.DATA,
  'amqp:amqp-sequence:list': SectionCode.SEQUENCE,
  'amqp:value:*': SectionCode.VALUE,
  'amqp:footer:map': SectionCode.FOOTER,
};

/** How the body is held: one data section, one string or binary amqp-value, or anything else as its encoded sections. */
export type BodyKind = 'data' | 'string' | 'binary' | 'sections';

export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where the parts of an encoded (annotated) message lie. The bare message runs from
 * `bareStart` to `payload.end`; the payload is the data section's bytes or the string's or
 * binary's bytes (its last bytes), or all body sections for other bodies.
 */
export interface AmqpMessageLayout {
  messageAnnotations?: ByteRange;
  bareStart: number;
  bodyKind: BodyKind;
  payload: ByteRange;
}

export class AmqpMessageLayoutError extends Error {}

/** Finds the sections of an encoded message without decoding their content. */
export function amqpMessageLayout(raw: Buffer): AmqpMessageLayout {
  const reader = rheaCodec.reader(raw);
  let messageAnnotations: ByteRange | undefined;
  let bareStart: number | undefined;
  const bodies: Array<{ code: number; start: number; end: number }> = [];
  while (reader.remaining() > 0) {
    const start = reader.position;
    let section: { descriptor?: { value: unknown } };
    try {
      section = reader.read();
    } catch (error) {
      throw new AmqpMessageLayoutError(`undecodable message section at byte ${start}: ${(error as Error).message}`);
    }
    const end = reader.position;
    if (end > raw.length) throw new AmqpMessageLayoutError(`message section at byte ${start} runs past the end of the message`);
    const code = codeOf(section.descriptor?.value);
    if (code === undefined) throw new AmqpMessageLayoutError(`byte ${start} does not start a message section`);
    if (code === SectionCode.MESSAGE_ANNOTATIONS) messageAnnotations = { start, end };
    if (code >= SectionCode.PROPERTIES && code <= SectionCode.VALUE) bareStart ??= start;
    if (code >= SectionCode.DATA && code <= SectionCode.VALUE) bodies.push({ code, start, end });
  }
  const bodyEnd = bodies.at(-1)?.end ?? bareStart ?? raw.length;
  bareStart ??= bodyEnd;
  if (bodies.length === 1) {
    const only = bodies[0]!;
    const value = valueStart(raw, only.start);
    const constructor = raw[value];
    if (only.code === SectionCode.DATA && (constructor === 0xa0 || constructor === 0xb0)) {
      return { messageAnnotations, bareStart, bodyKind: 'data', payload: { start: payloadStart(value, constructor), end: only.end } };
    }
    if (only.code === SectionCode.VALUE && (constructor === 0xa1 || constructor === 0xb1 || constructor === 0xa0 || constructor === 0xb0)) {
      const kind = constructor === 0xa1 || constructor === 0xb1 ? 'string' : 'binary';
      return { messageAnnotations, bareStart, bodyKind: kind, payload: { start: payloadStart(value, constructor), end: only.end } };
    }
  }
  return { messageAnnotations, bareStart, bodyKind: 'sections', payload: { start: bodies[0]?.start ?? bodyEnd, end: bodyEnd } };
}

function codeOf(descriptor: unknown): number | undefined {
  if (typeof descriptor === 'number') return descriptor;
  if (typeof descriptor === 'string') return SYMBOLIC_CODES[descriptor];
  if (descriptor !== undefined && descriptor !== null) {
    const numeric = Number(descriptor);
    return Number.isSafeInteger(numeric) ? numeric : undefined;
  }
  return undefined;
}

/** Where the value of the described section at `start` begins: past 0x00 and the descriptor. */
export function valueStart(raw: Buffer, start: number): number {
  const at = start + 1;
  switch (raw[at]) {
    case 0x53:
      return at + 2;
    case 0x80:
      return at + 9;
    case 0x44:
      return at + 1;
    case 0xa3:
      return at + 2 + raw[at + 1]!;
    case 0xb3:
      return at + 5 + raw.readUInt32BE(at + 1);
    default:
      throw new AmqpMessageLayoutError(`unexpected descriptor constructor 0x${raw[at]?.toString(16)} at byte ${at}`);
  }
}

/** Past a vbin/str constructor and its length (1 byte for the 8-bit forms, 4 for the 32-bit ones). */
function payloadStart(value: number, constructor: number): number {
  return constructor === 0xa0 || constructor === 0xa1 ? value + 2 : value + 5;
}
