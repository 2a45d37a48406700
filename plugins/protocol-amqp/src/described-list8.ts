import type { ScratchWriter } from './scratch-writer';

/**
 * Opens a described list8 (AMQP 1.0, 1.5 and 1.6.22) with a small-ulong descriptor: write the
 * `fieldCount` fields, then call the returned function, which fills in the list's size. The
 * fields must take at most 254 bytes.
 */
export function openDescribedList8(writer: ScratchWriter, descriptor: number, fieldCount: number): () => void {
  writer.write_uint(0x00, 1);
  writer.write_uint(0x53, 1);
  writer.write_uint(descriptor, 1);
  writer.write_uint(0xc0, 1);
  const sizeAt = writer.position;
  writer.write_uint(0, 1);
  writer.write_uint(fieldCount, 1);
  return () => void writer.buffer.writeUInt8(writer.position - sizeAt - 1, sizeAt);
}
