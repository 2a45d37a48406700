import rhea from 'rhea';
import { rheaCodec } from './rhea-codec';
import { writeHeaderSection, type HeaderFields } from './amqp-header-section';
import { createScratchWriter, takeWritten } from './scratch-writer';

describe('writeHeaderSection', () => {
  it.each<HeaderFields>([
    { durable: true, deliveryCount: 0 },
    { durable: false, priority: 9, deliveryCount: 3 },
    { durable: true, ttl: 5, deliveryCount: 255 },
    { durable: true, priority: 0, ttl: 86_400_000, deliveryCount: 70_000 },
  ])('reads back, with rhea, as rhea’s own header section does: %o', (fields) => {
    const ours = createScratchWriter();
    writeHeaderSection(ours, fields);
    const theirs = createScratchWriter();
    const header: Record<string, unknown> = { durable: fields.durable, delivery_count: fields.deliveryCount };
    if (fields.priority !== undefined) header.priority = fields.priority;
    if (fields.ttl !== undefined) header.ttl = fields.ttl;
    theirs.write(rheaCodec.sections.header(header).described());
    const decode = (bytes: Buffer) => rhea.message.decode(Buffer.concat([bytes, dataSection()])) as unknown as Record<string, unknown>;
    const read = decode(takeWritten(ours));
    const expected = decode(takeWritten(theirs));
    for (const field of ['durable', 'priority', 'ttl', 'first_acquirer', 'delivery_count'] as const) expect(read[field]).toEqual(expected[field]);
  });
});

/** A one-byte data section, so the bytes decode as a message. */
function dataSection(): Buffer {
  return Buffer.from([0x00, 0x53, 0x75, 0xa0, 0x01, 0x78]);
}
