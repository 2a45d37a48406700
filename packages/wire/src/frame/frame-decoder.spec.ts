import { encodeBody } from '../codec/encode-body';
import { queueRangeRequestCodec } from '../requests/queue-range/request';
import { RequestCode } from '../request-code';
import { encodeFrame, encodeFrameWithBody } from './encode-frame';
import type { Frame } from './frame';
import { FrameDecoder } from './frame-decoder';
import { FrameTooLargeError } from './frame-too-large-error';
import { WireFormatError } from './wire-format-error';

function frameFor(requestId: number, bodyBytes = 3): Buffer {
  return encodeFrameWithBody({ code: RequestCode.PULL, requestId }, Buffer.alloc(bodyBytes, requestId & 0xff));
}

function collect(decoder: FrameDecoder, chunks: Buffer[]): Frame[] {
  const frames: Frame[] = [];
  for (const chunk of chunks) decoder.push(chunk, (f) => frames.push(f));
  return frames;
}

describe('FrameDecoder', () => {
  it('decodes many frames from one chunk as views of that chunk', () => {
    const chunk = Buffer.concat([frameFor(1), frameFor(2), frameFor(3)]);
    const frames = collect(new FrameDecoder(), [chunk]);
    expect(frames.map((f) => f.header.requestId)).toEqual([1, 2, 3]);
    expect(frames[1]!.body.buffer).toBe(chunk.buffer);
    expect(frames[1]!.body.toString('hex')).toBe('020202');
  });

  it('reassembles frames split at every byte boundary', () => {
    const stream = Buffer.concat([frameFor(1, 10), frameFor(2, 0), frameFor(3, 40)]);
    for (let cut = 1; cut < stream.length; cut++) {
      const decoder = new FrameDecoder();
      const frames = collect(decoder, [stream.subarray(0, cut), stream.subarray(cut)]);
      expect(frames.map((f) => [f.header.requestId, f.body.length])).toEqual([
        [1, 10],
        [2, 0],
        [3, 40],
      ]);
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it('reassembles a frame delivered one byte at a time', () => {
    const frame = encodeFrame({ code: RequestCode.QUEUE_RANGE, requestId: 42 }, queueRangeRequestCodec, { topic: 'orders', queueId: 1 });
    const bytes = [...frame].map((b) => Buffer.from([b]));
    const frames = collect(new FrameDecoder(), bytes);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.body).toEqual(encodeBody(queueRangeRequestCodec, { topic: 'orders', queueId: 1 }));
  });

  it('refuses a frame over maxFrameBytes as soon as its length arrives', () => {
    const big = frameFor(1, 100);
    let refusal: unknown;
    try {
      new FrameDecoder(64).push(big.subarray(0, 4), () => undefined);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(FrameTooLargeError);
    expect(refusal).toBeInstanceOf(WireFormatError);
    expect(refusal).toMatchObject({ frameBytes: big.length, maxFrameBytes: 64, message: expect.stringMatching(/exceeds maxFrameBytes 64/) });
  });

  it('refuses garbage', () => {
    expect(() => new FrameDecoder().push(Buffer.from('GET / HTTP/1.1\r\n\r\n'), () => undefined)).toThrow(WireFormatError);
    const tooShort = Buffer.from('0000000300000000ff', 'hex');
    expect(() => new FrameDecoder().push(tooShort, () => undefined)).toThrow(/below the 16-byte minimum/);
  });

  it('refuses a header that overruns its frame or has a bad version', () => {
    const overrun = frameFor(1);
    overrun.writeUInt32BE(1000, 4);
    expect(() => new FrameDecoder().push(overrun, () => undefined)).toThrow(/overruns/);
    const badVersion = frameFor(1);
    badVersion[8] = 9;
    expect(() => new FrameDecoder().push(badVersion, () => undefined)).toThrow(/unsupported protocol version 9/);
  });
});
