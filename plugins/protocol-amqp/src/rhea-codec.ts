import rhea from 'rhea';

interface AmqpReader {
  position: number;
  read(): { descriptor?: { value: unknown }; value: unknown };
  remaining(): number;
}

interface AmqpWriter {
  buffer: Buffer;
  position: number;
  write(value: unknown): void;
  write_bytes(source: Buffer): void;
  write_uint(value: number, width: number): void;
  skip(bytes: number): void;
  ensure(length: number): void;
  toBuffer(): Buffer;
}

type WriterClass = new (buffer?: Buffer) => AmqpWriter;

/** rhea's AMQP type reader and writer, and the section builders its typings leave out. */
export const rheaCodec = {
  reader: (buffer: Buffer): AmqpReader => new (rhea.types as unknown as { Reader: new (b: Buffer) => AmqpReader }).Reader(buffer),
  writer: (): AmqpWriter => new (rhea.types as unknown as { Writer: WriterClass }).Writer(),
  /** A writer over `buffer` (grown, as a new buffer, when too small): for a scratch reused across encodings. */
  writerOver: (buffer: Buffer): AmqpWriter => new (rhea.types as unknown as { Writer: WriterClass }).Writer(buffer),
  sections: rhea.message as unknown as {
    header(fields: Record<string, unknown>): { described(): unknown };
    properties(fields: Record<string, unknown>): { described(): unknown };
    data_section(data: Buffer): { described(): unknown };
  },
};
