import { rheaCodec } from './rhea-codec';

const SCRATCH_BYTES = 64 * 1024;
/** A scratch grown past this by a big message is let go after it: memory stays bounded by the usual one. */
const KEEP_GROWN_SCRATCH_BYTES = 1024 * 1024;

export type ScratchWriter = ReturnType<typeof rheaCodec.writer>;

/** A rhea writer over a reused buffer, for encodings that are synchronous and copied out at once. */
export function createScratchWriter(): ScratchWriter {
  return rheaCodec.writerOver(Buffer.allocUnsafe(SCRATCH_BYTES));
}

/** A copy of what the writer holds (small copies come from Node's buffer pool); the writer is then empty. */
export function takeWritten(writer: ScratchWriter): Buffer {
  const written = Buffer.allocUnsafe(writer.position);
  writer.buffer.copy(written, 0, 0, writer.position);
  writer.position = 0;
  if (writer.buffer.length > KEEP_GROWN_SCRATCH_BYTES) writer.buffer = Buffer.allocUnsafe(SCRATCH_BYTES);
  return written;
}
