import { CompressionCodec } from './compression-codec';
import type { FrameHeader } from './frame-header';
import { FrameLayout } from './frame-layout';
import { WireFormatError } from './wire-format-error';

/** Reads the header found at `start` (`length` bytes) of `buffer`; refuses anything malformed. */
export function decodeFrameHeader(buffer: Buffer, start: number, length: number): FrameHeader {
  if (length < FrameLayout.FIXED_HEADER_BYTES) {
    throw new WireFormatError(`header of ${length} bytes is shorter than the ${FrameLayout.FIXED_HEADER_BYTES}-byte minimum`);
  }
  const version = buffer[start]!;
  if (version !== FrameLayout.PROTOCOL_VERSION) {
    throw new WireFormatError(`unsupported protocol version ${version} (this side speaks ${FrameLayout.PROTOCOL_VERSION})`);
  }
  const flags = buffer[start + 1]!;
  const compression = (flags & FrameLayout.COMPRESSION_MASK) >> FrameLayout.COMPRESSION_SHIFT;
  if (compression > CompressionCodec.LZ4) throw new WireFormatError(`unknown compression codec ${compression}`);
  if (flags & ~(FrameLayout.FLAG_RESPONSE | FrameLayout.FLAG_ONEWAY | FrameLayout.COMPRESSION_MASK)) {
    throw new WireFormatError(`unknown header flags 0x${flags.toString(16)}`);
  }
  const messageLength = buffer.readUInt16BE(start + 10);
  if (FrameLayout.FIXED_HEADER_BYTES + messageLength !== length) {
    throw new WireFormatError(`header length ${length} does not match its ${messageLength}-byte message`);
  }
  return {
    code: buffer.readUInt16BE(start + 2),
    requestId: buffer.readUInt32BE(start + 4),
    response: (flags & FrameLayout.FLAG_RESPONSE) !== 0,
    oneway: (flags & FrameLayout.FLAG_ONEWAY) !== 0,
    compression,
    status: buffer.readUInt16BE(start + 8),
    message: messageLength === 0 ? '' : buffer.toString('utf8', start + 12, start + 12 + messageLength),
  };
}
