import { installPooledTransportWriter } from './pooled-transport-writer';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const frames = require('rhea/lib/frames.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Transport = require('rhea/lib/transport.js');

describe('installPooledTransportWriter', () => {
  const rheaWrite = Transport.prototype.write;
  // rhea's own transfer composite: once installed, the writer builds lean ones (specced in lean-transfer-frame.spec.ts).
  const rheaTransfer = frames.transfer;
  const round = () => [
    frames.amqp_frame(0, frames.open({ container_id: 'tessera', max_frame_size: 65536, idle_time_out: 60_000 })),
    frames.amqp_frame(3, frames.attach({ name: 'orders-receiver', handle: 1, role: true, source: { address: 'orders' } })),
    frames.amqp_frame(1, rheaTransfer({ handle: 0, delivery_id: 7, delivery_tag: Buffer.from([7]), message_format: 0 }), Buffer.alloc(1024, 0xab)),
    frames.amqp_frame(1, rheaTransfer({ handle: 0, delivery_id: 8, delivery_tag: Buffer.from([8]) }), Buffer.alloc(3 * 1024 * 1024, 0xcd)),
    frames.amqp_frame(1, frames.disposition({ role: true, first: 7, last: 8, settled: true })),
    frames.amqp_frame(0),
  ];
  /** What a transport writes for the header and two rounds of frames, with `write` as its writer. */
  const written = (write: (socket: unknown) => void, type = frames.TYPE_AMQP) => {
    const chunks: Buffer[] = [];
    const socket = { write: (buffer: Buffer) => chunks.push(Buffer.from(buffer)) };
    const transport = new Transport('test', type === frames.TYPE_AMQP ? 0 : 3, type, {});
    for (const frames of [round(), [round()[4]!]]) {
      transport.pending = frames;
      write.call(transport, socket);
    }
    return { bytes: Buffer.concat(chunks), writes: chunks.length, pending: transport.pending.length };
  };

  it('writes the same bytes as rhea, header and frames bigger than its scratch included, one socket write per round', () => {
    const expected = written(rheaWrite);
    installPooledTransportWriter();
    expect(Transport.prototype.write).not.toBe(rheaWrite);
    const pooled = written(Transport.prototype.write);
    expect(pooled.bytes.equals(expected.bytes)).toBe(true);
    expect(pooled.writes).toBe(3);
    expect(expected.writes).toBe(1 + round().length + 1);
    expect(pooled.pending).toBe(0);
  });

  it('writes SASL frames as rhea does', () => {
    const sasl = frames.sasl_frame(frames.sasl_mechanisms({ sasl_server_mechanisms: ['PLAIN', 'ANONYMOUS'] }));
    const write = (writer: (socket: unknown) => void) => {
      const chunks: Buffer[] = [];
      const transport = new Transport('test', 3, frames.TYPE_SASL, {});
      transport.pending = [sasl];
      writer.call(transport, { write: (buffer: Buffer) => chunks.push(Buffer.from(buffer)) });
      return Buffer.concat(chunks);
    };
    const expected = write(rheaWrite);
    installPooledTransportWriter();
    expect(write(Transport.prototype.write).equals(expected)).toBe(true);
  });

  it('hands the socket buffers that later rounds do not overwrite', () => {
    installPooledTransportWriter();
    const kept: Buffer[] = [];
    const transport = new Transport('test', 0, frames.TYPE_AMQP, {});
    transport.header_sent = {};
    const socket = { write: (buffer: Buffer) => kept.push(buffer) };
    transport.pending = [frames.amqp_frame(1, frames.disposition({ role: true, first: 1, settled: true }))];
    transport.write(socket);
    const copy = Buffer.from(kept[0]!);
    for (let i = 0; i < 10; i++) {
      transport.pending = [frames.amqp_frame(1, frames.transfer({ handle: 0, delivery_id: i }), Buffer.alloc(100, i))];
      transport.write(socket);
    }
    expect(kept[0]!.equals(copy)).toBe(true);
  });
});
