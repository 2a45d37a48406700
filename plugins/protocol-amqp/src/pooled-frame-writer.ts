// rhea's own modules: the frame writer is not part of its public API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const frames = require('rhea/lib/frames.js') as { write_frame(frame: RheaFrame): Buffer; TYPE_AMQP: number; TYPE_SASL: number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const types = require('rhea/lib/types.js') as { Writer: new (buffer?: Buffer) => RheaWriter };

interface RheaFrame {
  channel: number;
  type: number;
  performative?: unknown;
  payload?: Buffer;
}

interface RheaWriter {
  buffer: Buffer;
  position: number;
  skip(bytes: number): void;
  write_uint(value: number, width: number): void;
  write(value: unknown): void;
  write_bytes(source: Buffer): void;
}

const SCRATCH_BYTES = 64 * 1024;
/** A frame that grew the scratch past this gives it back: memory stays bounded by the usual frame. */
const KEEP_GROWN_SCRATCH_BYTES = 1024 * 1024;

let installed = false;

/**
 * rhea encodes every frame into a fresh zero-filled 1 KiB buffer (doubled and copied when the
 * frame is bigger): a transfer of a 1 KiB message allocates and zeroes 3 KiB. This replaces its
 * frame writer, once per process, with one that encodes into a reused scratch buffer and copies
 * out exactly the frame (small copies come from Node's buffer pool). The bytes are the same.
 */
export function installPooledFrameWriter(): void {
  if (installed) return;
  installed = true;
  const writer = new types.Writer(Buffer.allocUnsafe(SCRATCH_BYTES));
  frames.write_frame = (frame: RheaFrame): Buffer => {
    writer.position = 0;
    writer.skip(4);
    writer.write_uint(2, 1);
    writer.write_uint(frame.type, 1);
    if (frame.type === frames.TYPE_AMQP) writer.write_uint(frame.channel, 2);
    else if (frame.type === frames.TYPE_SASL) writer.write_uint(0, 2);
    else throw new Error(`Unknown frame type ${frame.type}`);
    if (frame.performative) {
      writer.write(frame.performative);
      if (frame.payload) writer.write_bytes(frame.payload);
    }
    const out = Buffer.allocUnsafe(writer.position);
    writer.buffer.copy(out, 0, 0, writer.position);
    out.writeUInt32BE(out.length, 0);
    if (writer.buffer.length > KEEP_GROWN_SCRATCH_BYTES) writer.buffer = Buffer.allocUnsafe(SCRATCH_BYTES);
    return out;
  };
}
