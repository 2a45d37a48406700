import type { ScratchWriter } from './scratch-writer';

const HEADER_DESCRIPTOR = 0x70;
const MAX_UINT = 0xffffffff;

export interface HeaderFields {
  durable: boolean;
  priority?: number;
  ttl?: number;
  deliveryCount: number;
}

/**
 * The header section (AMQP 1.0, 3.2.1) of a message sent to a consumer, encoded straight into
 * the writer: durable, priority, ttl, first-acquirer (left null) and delivery-count. rhea's
 * `sections.header(...).described()` built and wrapped a composite for each message sent.
 */
export function writeHeaderSection(writer: ScratchWriter, header: HeaderFields): void {
  writer.write_uint(0x00, 1);
  writer.write_uint(0x53, 1);
  writer.write_uint(HEADER_DESCRIPTOR, 1);
  writer.write_uint(0xc0, 1);
  const sizeAt = writer.position;
  writer.write_uint(0, 1);
  writer.write_uint(5, 1);
  writer.write_uint(header.durable ? 0x41 : 0x42, 1);
  if (header.priority === undefined) writer.write_uint(0x40, 1);
  else {
    writer.write_uint(0x50, 1);
    writer.write_uint(Math.min(255, Math.max(0, Math.trunc(header.priority))), 1);
  }
  if (header.ttl === undefined) writer.write_uint(0x40, 1);
  else writeUint(writer, Math.min(MAX_UINT, Math.max(0, Math.trunc(header.ttl))));
  writer.write_uint(0x40, 1);
  writeUint(writer, Math.min(MAX_UINT, header.deliveryCount));
  writer.buffer.writeUInt8(writer.position - sizeAt - 1, sizeAt);
}

function writeUint(writer: ScratchWriter, value: number): void {
  if (value === 0) writer.write_uint(0x43, 1);
  else if (value < 256) {
    writer.write_uint(0x52, 1);
    writer.write_uint(value, 1);
  } else {
    writer.write_uint(0x70, 1);
    writer.write_uint(value, 4);
  }
}
