import rhea from 'rhea';
import { installPooledTransportWriter } from './pooled-transport-writer';
import { LeanTransfer } from './lean-transfer-frame';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const frames = require('rhea/lib/frames.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Transport = require('rhea/lib/transport.js');

interface DecodedTransfer {
  handle: number;
  delivery_id: number;
  delivery_tag: Buffer;
  message_format: number;
  settled: boolean;
  more: boolean;
  state?: unknown;
}

describe('LeanTransfer', () => {
  const rheaTransfer = frames.transfer;
  const rheaWrite = Transport.prototype.write;

  /** The frames a transport writes, read back with rhea's own frame reader. */
  const writtenAndRead = (write: (socket: unknown) => void, frame: object): { performative: DecodedTransfer; payload: Buffer } => {
    const chunks: Buffer[] = [];
    const transport = new Transport('test', 0, frames.TYPE_AMQP, {});
    transport.header_sent = {};
    transport.pending = [frame];
    write.call(transport, { write: (buffer: Buffer) => chunks.push(Buffer.from(buffer)) });
    const read = frames.read_frame(Buffer.concat(chunks));
    return { performative: read.performative, payload: read.payload };
  };
  const fieldsOf = (decoded: DecodedTransfer) => ({
    handle: decoded.handle,
    delivery_id: decoded.delivery_id,
    delivery_tag: Buffer.from(decoded.delivery_tag).toString('hex'),
    message_format: decoded.message_format ?? 0,
    settled: decoded.settled ?? false,
    more: decoded.more ?? false,
  });

  it.each([
    { handle: 0, delivery_id: 0, delivery_tag: Buffer.from('0'), message_format: 0, settled: false, more: false },
    { handle: 7, delivery_id: 255, delivery_tag: Buffer.from('12345'), settled: true, more: false },
    { handle: 300, delivery_id: 70_000, delivery_tag: Buffer.alloc(32, 9), message_format: 0x80013700, settled: false, more: true },
    { handle: 1, delivery_id: 0xffffffff, delivery_tag: Buffer.alloc(0), message_format: 256, settled: true, more: true },
  ])('a transfer built lean reads back as rhea reads its own: %o', (fields) => {
    installPooledTransportWriter();
    const lean = frames.transfer(fields);
    expect(lean).toBeInstanceOf(LeanTransfer);
    const payload = Buffer.from('bare message');
    const theirs = writtenAndRead(rheaWrite, frames.amqp_frame(3, rheaTransfer(fields), payload));
    const ours = writtenAndRead(Transport.prototype.write, frames.amqp_frame(3, lean, payload));
    expect(ours.performative.constructor).toBe(theirs.performative.constructor);
    expect(fieldsOf(ours.performative)).toEqual(fieldsOf(theirs.performative));
    expect(ours.payload.equals(payload)).toBe(true);
  });

  it('leaves transfers with other fields, or tags over 32 bytes, to rhea', () => {
    installPooledTransportWriter();
    expect(frames.transfer({ handle: 0, delivery_id: 1, delivery_tag: Buffer.from('t'), resume: true })).not.toBeInstanceOf(LeanTransfer);
    expect(frames.transfer({ handle: 0, delivery_id: 1, delivery_tag: Buffer.alloc(33) })).not.toBeInstanceOf(LeanTransfer);
  });

  it("becomes rhea's composite once code reaches into its value, and is encoded as that (a state set there is sent)", () => {
    installPooledTransportWriter();
    const lean = frames.transfer({ handle: 2, delivery_id: 9, delivery_tag: Buffer.from('9') });
    const accepted = (rhea.message as unknown as { accepted(): { described(): unknown } }).accepted().described();
    lean.value[7] = accepted;
    const read = writtenAndRead(Transport.prototype.write, frames.amqp_frame(1, lean, Buffer.from('m')));
    expect(fieldsOf(read.performative)).toEqual({ handle: 2, delivery_id: 9, delivery_tag: '39', message_format: 0, settled: false, more: false });
    const state = (read.performative as unknown as { value: Array<{ descriptor?: { value: number } }> }).value[7];
    expect(state?.descriptor?.value).toBe(0x24);
  });
});
