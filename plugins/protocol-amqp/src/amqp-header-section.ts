import { openDescribedList8 } from './described-list8';
import type { ScratchWriter } from './scratch-writer';
import { writeAmqpUint } from './write-amqp-uint';

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
  const close = openDescribedList8(writer, HEADER_DESCRIPTOR, 5);
  writer.write_uint(header.durable ? 0x41 : 0x42, 1);
  if (header.priority === undefined) writer.write_uint(0x40, 1);
  else {
    writer.write_uint(0x50, 1);
    writer.write_uint(Math.min(255, Math.max(0, Math.trunc(header.priority))), 1);
  }
  if (header.ttl === undefined) writer.write_uint(0x40, 1);
  else writeAmqpUint(writer, Math.min(MAX_UINT, Math.max(0, Math.trunc(header.ttl))));
  writer.write_uint(0x40, 1);
  writeAmqpUint(writer, Math.min(MAX_UINT, header.deliveryCount));
  close();
}
