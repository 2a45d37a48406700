import { emptyBodyCodec } from '../codec/empty-body-codec';
import { queueRangeRequestCodec } from '../requests/queue-range/request';
import { RequestCode } from '../request-code';
import { ResponseCode } from '../response-code';
import { CompressionCodec } from './compression-codec';
import { encodeFrame, encodeFrameWithBody } from './encode-frame';
import { FrameDecoder } from './frame-decoder';
import type { Frame } from './frame';

function decodeOne(bytes: Buffer): Frame {
  const frames: Frame[] = [];
  new FrameDecoder().push(bytes, (f) => frames.push(f));
  expect(frames).toHaveLength(1);
  return frames[0]!;
}

describe('encodeFrame', () => {
  it('lays out a request as | total | header length | header | body |', () => {
    const frame = encodeFrame({ code: RequestCode.QUEUE_RANGE, requestId: 0x01020304 }, queueRangeRequestCodec, { topic: 't', queueId: 9 });
    expect(frame.toString('hex')).toBe(
      [
        '00000017', // total length: 4 (header length field) + 12 (header) + 7 (body)
        '0000000c', // header length
        '01', // version
        '00', // flags: request, not one-way, uncompressed
        '000e', // code QUEUE_RANGE
        '01020304', // request id
        '0000', // status
        '0000', // no message
        '000174', // body: topic "t"
        '00000009', // body: queue 9
      ].join(''),
    );
  });

  it('carries an error response status and message', () => {
    const frame = encodeFrame(
      { code: 999, requestId: 7, response: true, status: ResponseCode.REQUEST_CODE_NOT_SUPPORTED, message: 'no' },
      emptyBodyCodec,
      undefined,
    );
    expect(frame.toString('hex')).toBe('00000012' + '0000000e' + '01' + '01' + '03e7' + '00000007' + '0003' + '0002' + '6e6f');
    expect(decodeOne(frame).header).toEqual({
      code: 999,
      requestId: 7,
      response: true,
      oneway: false,
      compression: CompressionCodec.NONE,
      status: ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
      message: 'no',
    });
  });

  it('sets the one-way flag and wraps ready-made body bytes', () => {
    const frame = encodeFrameWithBody({ code: RequestCode.SEND_BATCH, requestId: 1, oneway: true }, Buffer.from([0xaa, 0xbb]));
    const decoded = decodeOne(frame);
    expect(decoded.header.oneway).toBe(true);
    expect(decoded.header.response).toBe(false);
    expect(decoded.body.toString('hex')).toBe('aabb');
  });
});
