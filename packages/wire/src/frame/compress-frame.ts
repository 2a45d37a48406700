import { compressSync as lz4Compress } from 'lz4-napi';
import { compress as zstdCompress } from 'zstd-napi';
import { CompressionCodec } from './compression-codec';
import { FrameLayout } from './frame-layout';

const UNCOMPRESSED_LENGTH_BYTES = 4;

/**
 * Rewrites an encoded frame with its body compressed: the header gains the codec's flag bits
 * and the body becomes | uncompressed length u32 | compressed bytes |, so a receiver can refuse
 * an oversized body before inflating it.
 */
export function compressFrame(frame: Buffer, codec: CompressionCodec): Buffer {
  if (codec === CompressionCodec.NONE) return frame;
  const headerLength = frame.readUInt32BE(FrameLayout.TOTAL_LENGTH_BYTES);
  const bodyStart = FrameLayout.TOTAL_LENGTH_BYTES + FrameLayout.HEADER_LENGTH_BYTES + headerLength;
  const body = frame.subarray(bodyStart);
  const compressed = codec === CompressionCodec.ZSTD ? zstdCompress(body) : lz4Compress(body);
  const out = Buffer.allocUnsafe(bodyStart + UNCOMPRESSED_LENGTH_BYTES + compressed.length);
  frame.copy(out, 0, 0, bodyStart);
  out.writeUInt32BE(out.length - FrameLayout.TOTAL_LENGTH_BYTES, 0);
  const flagsAt = FrameLayout.TOTAL_LENGTH_BYTES + FrameLayout.HEADER_LENGTH_BYTES + 1;
  out[flagsAt] = (out[flagsAt]! & ~FrameLayout.COMPRESSION_MASK) | (codec << FrameLayout.COMPRESSION_SHIFT);
  out.writeUInt32BE(body.length, bodyStart);
  compressed.copy(out, bodyStart + UNCOMPRESSED_LENGTH_BYTES);
  return out;
}
