import { encodeLeanTransfer, installLeanTransferFrames, LeanTransfer } from './lean-transfer-frame';
import { createScratchWriter, takeWritten, type ScratchWriter } from './scratch-writer';

// rhea's own modules: its transport and frame writer are not part of its public API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Transport = require('rhea/lib/transport.js') as { prototype: RheaTransport };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const frames = require('rhea/lib/frames.js') as { write_header(buffer: Buffer, header: object): void; TYPE_AMQP: number; TYPE_SASL: number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const log = require('rhea/lib/log.js') as { frames: DebugLog; raw: DebugLog };

interface DebugLog {
  (format: string, ...args: unknown[]): void;
  enabled: boolean;
}

interface RheaFrame {
  channel: number;
  type: number;
  performative?: object;
  payload?: Buffer;
}

interface RheaTransport {
  identifier: string;
  protocol_id: number;
  pending: RheaFrame[];
  header_sent?: object;
  write(socket: { write(buffer: Buffer): unknown }): void;
}

const HEADER_BYTES = 8;

let installed = false;

/**
 * rhea encodes every frame into a fresh zero-filled 1 KiB buffer (doubled and copied when the
 * frame is bigger) and writes each to the socket on its own: a transfer of a 1 KiB message
 * allocates and zeroes 3 KiB, and a round of 100 dispositions and transfers is 100 socket writes.
 * This replaces its transport's write, once per process, with one that encodes a round's frames
 * back to back into a reused scratch buffer and writes them as one buffer. The bytes are the same,
 * but for outgoing transfers, which are built and encoded lean (see LeanTransfer).
 */
export function installPooledTransportWriter(): void {
  if (installed) return;
  installed = true;
  const writer = createScratchWriter();
  Transport.prototype.write = function write(this: RheaTransport, socket) {
    if (!this.header_sent) {
      const buffer = Buffer.alloc(HEADER_BYTES);
      const header = { protocol_id: this.protocol_id, major: 1, minor: 0, revision: 0 };
      frames.write_header(buffer, header);
      socket.write(buffer);
      this.header_sent = header;
    }
    if (this.pending.length === 0) return;
    for (const frame of this.pending) {
      encodeFrame(writer, frame);
      if (log.frames.enabled) log.frames('[%s]:%s -> %s %j', this.identifier, frame.channel, frame.performative?.constructor ?? 'empty', frame.performative);
    }
    this.pending = [];
    const out = takeWritten(writer);
    socket.write(out);
    if (log.raw.enabled) log.raw('[%s] SENT: %d %h', this.identifier, out.length, out);
  };
  // Sessions' transfers are built lean from now on: this writer is what encodes them.
  installLeanTransferFrames();
}

/** rhea's frames.write_frame, appending at the writer's position. */
function encodeFrame(writer: ScratchWriter, frame: RheaFrame): void {
  const start = writer.position;
  writer.skip(4);
  writer.write_uint(2, 1);
  writer.write_uint(frame.type, 1);
  if (frame.type === frames.TYPE_AMQP) writer.write_uint(frame.channel, 2);
  else if (frame.type === frames.TYPE_SASL) writer.write_uint(0, 2);
  else throw new Error(`Unknown frame type ${frame.type}`);
  const performative = frame.performative;
  if (performative) {
    if (!(performative instanceof LeanTransfer)) writer.write(performative);
    else if (performative.composite) writer.write(performative.composite);
    else encodeLeanTransfer(writer, performative);
    if (frame.payload) writer.write_bytes(frame.payload);
  }
  writer.buffer.writeUInt32BE(writer.position - start, start);
}
