import { uncompressSync as lz4Uncompress } from 'lz4-napi';
import { decompress as zstdDecompress } from 'zstd-napi';
import { CompressionCodec } from './compression-codec';
import type { Frame } from './frame';
import { WireFormatError } from './wire-format-error';

/** The frame's body, inflated when compressed; refuses bodies declared larger than `maxBytes`. */
export function decompressFrameBody(frame: Frame, maxBytes: number): Buffer {
  const { compression } = frame.header;
  if (compression === CompressionCodec.NONE) return frame.body;
  if (frame.body.length < 4) throw new WireFormatError('compressed body lacks its uncompressed length');
  const declared = frame.body.readUInt32BE(0);
  if (declared > maxBytes) {
    throw new WireFormatError(`compressed body would inflate to ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  const compressed = frame.body.subarray(4);
  let inflated: Buffer;
  try {
    inflated = compression === CompressionCodec.ZSTD ? zstdDecompress(compressed) : lz4Uncompress(compressed);
  } catch (error) {
    throw new WireFormatError(`cannot decompress ${CompressionCodec[compression]} body: ${(error as Error).message}`);
  }
  if (inflated.length !== declared) {
    throw new WireFormatError(`body inflated to ${inflated.length} bytes, not the declared ${declared}`);
  }
  return inflated;
}
