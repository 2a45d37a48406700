import { Duplex } from 'node:stream';
import { AMQP_PROTOCOL_HEADER, AmqpConnectionGuard, SASL_PROTOCOL_HEADER } from './amqp-connection-guard';

/** A socket stand-in: `feed` is what the client sends, `written` what the broker wrote. */
class FakeSocket extends Duplex {
  readonly written: Buffer[] = [];
  ended = false;

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.written.push(chunk);
    callback();
  }

  override _final(callback: () => void): void {
    this.ended = true;
    callback();
  }

  feed(bytes: Buffer): void {
    this.push(bytes);
  }
}

/** A frame of `size` bytes; only its 8-byte header when it claims more than 4 KiB or less than a header. */
function frame(size: number, type = 0): Buffer {
  const bytes = Buffer.alloc(size >= 8 && size <= 4096 ? size : 8);
  bytes.writeUInt32BE(size, 0);
  bytes[4] = 2;
  bytes[5] = type;
  return bytes;
}

function setUp(allowNoSasl = true) {
  const socket = new FakeSocket();
  const events: string[] = [];
  const traffic = { received: 0, sent: 0 };
  const guard = new AmqpConnectionGuard(socket, {
    maxFrameSize: 1024,
    allowNoSasl,
    closeGraceMs: 10,
    onFramingError: (reason, condition, description) => events.push(`framing ${reason} ${condition} ${description}`),
    onRefused: (reason, description) => events.push(`refused ${reason} ${description}`),
    traffic: {
      received: (bytes) => (traffic.received += bytes),
      sent: (bytes) => (traffic.sent += bytes),
    },
  });
  const passed: Buffer[] = [];
  guard.on('data', (chunk: Buffer) => passed.push(chunk));
  guard.on('error', () => undefined);
  return { socket, guard, events, traffic, passed: () => Buffer.concat(passed) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('AmqpConnectionGuard', () => {
  it('passes headers and frames within max-frame-size through untouched, however they are split', async () => {
    const { socket, guard, events, traffic, passed } = setUp();
    const bytes = Buffer.concat([SASL_PROTOCOL_HEADER, frame(16, 1), AMQP_PROTOCOL_HEADER, frame(16), frame(1024)]);
    socket.feed(bytes.subarray(0, 3));
    socket.feed(bytes.subarray(3, 21));
    socket.feed(bytes.subarray(21));
    guard.write(frame(100));
    await settle();
    expect(events).toEqual([]);
    expect(passed().equals(bytes)).toBe(true);
    expect(traffic).toEqual({ received: bytes.length, sent: 100 });
  });

  it('answers an AMQP 0-9-1 header, or garbage, with the SASL header and closes', async () => {
    const cases = [
      { wrong: Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'), reason: 'unsupported_protocol' },
      { wrong: Buffer.from('GET / HTTP/1.1\r\n', 'latin1'), reason: 'not_amqp' },
    ];
    for (const { wrong, reason } of cases) {
      const { socket, events, traffic, passed } = setUp();
      socket.feed(wrong);
      await settle();
      expect(Buffer.concat(socket.written).equals(SASL_PROTOCOL_HEADER)).toBe(true);
      expect(socket.ended).toBe(true);
      expect(passed().length).toBe(0);
      expect(events[0]).toMatch(new RegExp(`^refused ${reason} unsupported protocol header`));
      expect(traffic).toEqual({ received: wrong.length, sent: SASL_PROTOCOL_HEADER.length });
    }
  });

  it('insists on SASL when anonymous clients are not allowed', async () => {
    const { socket, events } = setUp(false);
    socket.feed(AMQP_PROTOCOL_HEADER);
    await settle();
    expect(Buffer.concat(socket.written).equals(SASL_PROTOCOL_HEADER)).toBe(true);
    expect(events).toEqual([`refused unsupported_protocol unsupported protocol header ${AMQP_PROTOCOL_HEADER.toString('hex')}`]);
  });

  it('stops at a frame larger than max-frame-size: what came before passes, then a framing error', async () => {
    const { socket, events, passed } = setUp();
    socket.feed(Buffer.concat([AMQP_PROTOCOL_HEADER, frame(16), frame(10 * 1024 * 1024), Buffer.alloc(100)]));
    await settle();
    expect(passed().equals(Buffer.concat([AMQP_PROTOCOL_HEADER, frame(16)]))).toBe(true);
    expect(events).toEqual(['framing frame_too_large amqp:connection:framing-error frame of 10485760 bytes exceeds max-frame-size 1024']);
  });

  it('cuts a connection whose frame size cannot even hold a frame header', async () => {
    const { socket, events } = setUp();
    socket.feed(Buffer.concat([SASL_PROTOCOL_HEADER, frame(3)]));
    await settle();
    expect(events).toEqual(['refused framing_error frame size 3 is smaller than a frame header']);
  });

  it('ends the connection after a failed SASL outcome, and not after a successful one', async () => {
    // sasl-outcome: frame type 1, descriptor 0x44, list8 with code ubyte.
    const outcome = (code: number) => Buffer.from([0, 0, 0, 0x0f, 2, 1, 0, 0, 0x00, 0x53, 0x44, 0xc0, 0x03, 0x01, 0x50, code]);
    const ok = setUp();
    ok.socket.feed(SASL_PROTOCOL_HEADER);
    ok.guard.write(outcome(0));
    await settle();
    expect(ok.events).toEqual([]);
    const failed = setUp();
    failed.socket.feed(SASL_PROTOCOL_HEADER);
    failed.guard.write(outcome(1));
    await settle();
    expect(failed.events).toEqual(['refused authentication_failed SASL authentication failed']);
    expect(failed.socket.ended).toBe(true);
  });
});
