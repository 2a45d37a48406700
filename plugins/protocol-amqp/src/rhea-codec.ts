import rhea from 'rhea';

interface AmqpReader {
  position: number;
  read(): { descriptor?: { value: unknown }; value: unknown };
  remaining(): number;
}

interface AmqpWriter {
  write(value: unknown): void;
  toBuffer(): Buffer;
}

/** rhea's AMQP type reader and writer, and the section builders its typings leave out. */
export const rheaCodec = {
  reader: (buffer: Buffer): AmqpReader => new (rhea.types as unknown as { Reader: new (b: Buffer) => AmqpReader }).Reader(buffer),
  writer: (): AmqpWriter => new (rhea.types as unknown as { Writer: new () => AmqpWriter }).Writer(),
  sections: rhea.message as unknown as {
    header(fields: Record<string, unknown>): { described(): unknown };
    properties(fields: Record<string, unknown>): { described(): unknown };
    data_section(data: Buffer): { described(): unknown };
  },
};
