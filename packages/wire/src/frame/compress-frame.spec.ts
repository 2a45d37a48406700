import { encodeBody } from '../codec/encode-body';
import { pullRequestCodec, type PullRequest } from '../requests/pull/request';
import { RequestCode } from '../request-code';
import { compressFrame } from './compress-frame';
import { CompressionCodec } from './compression-codec';
import { decompressFrameBody } from './decompress-frame-body';
import { encodeFrame } from './encode-frame';
import type { Frame } from './frame';
import { FrameDecoder } from './frame-decoder';

const request: PullRequest = { topic: 'x'.repeat(2000), queueId: 1, offset: 0, maxCount: 1, maxBytes: 1, maxWaitMs: 0 };

function decode(bytes: Buffer): Frame {
  const frames: Frame[] = [];
  new FrameDecoder().push(bytes, (f) => frames.push(f));
  return frames[0]!;
}

describe('compressFrame / decompressFrameBody', () => {
  it.each([CompressionCodec.ZSTD, CompressionCodec.LZ4])('round-trips a body with codec %s', (codec) => {
    const plain = encodeFrame({ code: RequestCode.PULL, requestId: 5 }, pullRequestCodec, request);
    const compressed = compressFrame(plain, codec);
    expect(compressed.length).toBeLessThan(plain.length / 4);
    const frame = decode(compressed);
    expect(frame.header.compression).toBe(codec);
    expect(frame.header.requestId).toBe(5);
    expect(decompressFrameBody(frame, 1 << 20)).toEqual(encodeBody(pullRequestCodec, request));
  });

  it('refuses a body declared larger than the limit before inflating it', () => {
    const frame = decode(compressFrame(encodeFrame({ code: RequestCode.PULL, requestId: 5 }, pullRequestCodec, request), CompressionCodec.LZ4));
    expect(() => decompressFrameBody(frame, 100)).toThrow(/over the 100-byte limit/);
  });

  it('refuses bytes that are not what the codec says', () => {
    const frame = decode(compressFrame(encodeFrame({ code: RequestCode.PULL, requestId: 5 }, pullRequestCodec, request), CompressionCodec.ZSTD));
    frame.body.fill(0x41, 4);
    expect(() => decompressFrameBody(frame, 1 << 20)).toThrow(/cannot decompress ZSTD body/);
  });
});
