import type { ScratchWriter } from './scratch-writer';

/** An AMQP `uint` in its smallest encoding: uint0 (0x43), smalluint (0x52) or uint (0x70) (AMQP 1.0, 1.6.4). */
export function writeAmqpUint(writer: ScratchWriter, value: number): void {
  if (value === 0) writer.write_uint(0x43, 1);
  else if (value < 256) {
    writer.write_uint(0x52, 1);
    writer.write_uint(value, 1);
  } else {
    writer.write_uint(0x70, 1);
    writer.write_uint(value, 4);
  }
}
