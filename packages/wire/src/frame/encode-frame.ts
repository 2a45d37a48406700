import type { BodyCodec } from '../codec/body-codec';
import { ByteWriter } from '../codec/byte-writer';
import { CompressionCodec } from './compression-codec';
import type { FrameHeader } from './frame-header';
import { FrameLayout } from './frame-layout';

export type FrameHeaderInit = Pick<FrameHeader, 'code' | 'requestId'> & Partial<FrameHeader>;

/**
 * Encodes a whole frame into one buffer: the header, then the body written straight after it,
 * then the two length fields patched in. `sizeHint` sizes the buffer to avoid regrowth.
 */
export function encodeFrame<T>(header: FrameHeaderInit, codec: BodyCodec<T>, body: T, sizeHint = 256): Buffer {
  const writer = new ByteWriter(sizeHint + 64);
  writer.u32(0);
  writer.u32(0);
  writeHeader(writer, header);
  const headerLength = writer.length - 8;
  codec.encode(writer, body);
  writer.patchU32(0, writer.length - FrameLayout.TOTAL_LENGTH_BYTES);
  writer.patchU32(4, headerLength);
  return writer.finish();
}

/** A frame around body bytes already encoded (and perhaps compressed). */
export function encodeFrameWithBody(header: FrameHeaderInit, body: Uint8Array): Buffer {
  const writer = new ByteWriter(body.length + 64);
  writer.u32(0);
  writer.u32(0);
  writeHeader(writer, header);
  const headerLength = writer.length - 8;
  writer.raw(body);
  writer.patchU32(0, writer.length - FrameLayout.TOTAL_LENGTH_BYTES);
  writer.patchU32(4, headerLength);
  return writer.finish();
}

function writeHeader(writer: ByteWriter, header: FrameHeaderInit): void {
  writer.u8(FrameLayout.PROTOCOL_VERSION);
  writer.u8(
    (header.response ? FrameLayout.FLAG_RESPONSE : 0) |
      (header.oneway ? FrameLayout.FLAG_ONEWAY : 0) |
      ((header.compression ?? CompressionCodec.NONE) << FrameLayout.COMPRESSION_SHIFT),
  );
  writer.u16(header.code);
  writer.u32(header.requestId >>> 0);
  writer.u16(header.status ?? 0);
  writer.string(header.message);
}
