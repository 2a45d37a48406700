import { installPooledFrameWriter } from './pooled-frame-writer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const frames = require('rhea/lib/frames.js');

describe('installPooledFrameWriter', () => {
  const rheaWriteFrame: (frame: unknown) => Buffer = frames.write_frame;
  const samples = () => [
    frames.amqp_frame(0, frames.open({ container_id: 'tessera', max_frame_size: 65536, idle_time_out: 60_000 })),
    frames.amqp_frame(3, frames.attach({ name: 'orders-receiver', handle: 1, role: true, source: { address: 'orders' } })),
    frames.amqp_frame(1, frames.transfer({ handle: 0, delivery_id: 7, delivery_tag: Buffer.from([7]), message_format: 0 }), Buffer.alloc(1024, 0xab)),
    frames.amqp_frame(1, frames.transfer({ handle: 0, delivery_id: 8, delivery_tag: Buffer.from([8]) }), Buffer.alloc(3 * 1024 * 1024, 0xcd)),
    frames.amqp_frame(1, frames.disposition({ role: true, first: 7, last: 8, settled: true })),
    frames.sasl_frame(frames.sasl_mechanisms({ sasl_server_mechanisms: ['PLAIN', 'ANONYMOUS'] })),
    frames.amqp_frame(0),
  ];

  it('writes the same bytes as rhea for every kind of frame, a heartbeat and frames bigger than its scratch included', () => {
    const expected = samples().map((frame) => rheaWriteFrame(frame));
    installPooledFrameWriter();
    expect(frames.write_frame).not.toBe(rheaWriteFrame);
    const written = samples().map((frame) => frames.write_frame(frame) as Buffer);
    written.forEach((buffer, i) => expect(buffer.equals(expected[i]!)).toBe(true));
  });

  it('hands out frames that later frames do not overwrite', () => {
    installPooledFrameWriter();
    const first = frames.write_frame(frames.amqp_frame(1, frames.disposition({ role: true, first: 1, settled: true })));
    const copy = Buffer.from(first);
    for (let i = 0; i < 10; i++) frames.write_frame(frames.amqp_frame(1, frames.transfer({ handle: 0, delivery_id: i }), Buffer.alloc(100, i)));
    expect(first.equals(copy)).toBe(true);
  });

  it('refuses a frame of unknown type, as rhea does', () => {
    installPooledFrameWriter();
    expect(() => frames.write_frame({ channel: 0, type: 9 })).toThrow('Unknown frame type 9');
  });
});
