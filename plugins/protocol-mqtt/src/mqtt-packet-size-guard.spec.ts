import { once } from 'node:events';
import { Duplex, PassThrough } from 'node:stream';
import { MqttPacketSizeGuard, PACKET_TOO_LARGE } from './mqtt-packet-size-guard';

/** A PUBLISH fixed header (type 3) announcing `remaining` bytes, followed by them. */
function publishPacket(remaining: number): Buffer {
  const length: number[] = [];
  let value = remaining;
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    length.push(byte);
  } while (value > 0);
  return Buffer.concat([Buffer.from([0x30, ...length]), Buffer.alloc(remaining, 7)]);
}

function guarded(maxPacketSize: number) {
  const inner = new PassThrough();
  const guard = new MqttPacketSizeGuard(inner, maxPacketSize);
  const received: Buffer[] = [];
  guard.on('data', (chunk: Buffer) => received.push(chunk));
  const failure = once(guard, 'error').then(([error]) => error as Error);
  return { inner, guard, received, failure };
}

describe('MqttPacketSizeGuard', () => {
  it('passes packets up to the limit through, whatever the chunking', async () => {
    const { inner, guard, received } = guarded(200);
    const stream = Buffer.concat([publishPacket(197), publishPacket(0), publishPacket(130)]);
    for (let i = 0; i < stream.length; i += 7) inner.write(stream.subarray(i, i + 7));
    inner.end();
    await once(guard, 'end');
    expect(Buffer.concat(received)).toEqual(stream);
  });

  it('destroys the connection on a header announcing a larger packet', async () => {
    const { inner, failure } = guarded(200);
    inner.write(publishPacket(100));
    inner.write(publishPacket(198).subarray(0, 3));
    expect((await failure).message).toMatch(/201 bytes exceeds maxPacketSize 200/);
    expect(inner.destroyed).toBe(true);
  });

  it('destroys the connection on a malformed remaining length', async () => {
    const { inner, failure } = guarded(1024);
    inner.write(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect((await failure).message).toMatch(/malformed/);
  });

  it('lets a listener of PACKET_TOO_LARGE write a last packet, ends the connection, and destroys it a moment later', async () => {
    const inner = new RecordingConnection();
    const guard = new MqttPacketSizeGuard(inner, 200);
    guard.on('error', () => undefined);
    guard.on(PACKET_TOO_LARGE, () => guard.write(Buffer.from('bye')));
    inner.push(publishPacket(300).subarray(0, 10));
    await once(inner, 'finish');
    expect(Buffer.concat(inner.written).toString()).toBe('bye');
    expect(guard.destroyed).toBe(false);
    await once(inner, 'close');
  });

  it('flushes what was written in the same tick when destroyed, corked or not (mqtt-packet corks each packet)', () => {
    const inner = new RecordingConnection();
    const guard = new MqttPacketSizeGuard(inner, 200);
    guard.write(Buffer.from('last '));
    guard.cork();
    guard.write(Buffer.from('words'));
    guard.destroy();
    expect(Buffer.concat(inner.written).toString()).toBe('last words');
  });
});

/** A connection that keeps what is written to it. */
class RecordingConnection extends Duplex {
  readonly written: Buffer[] = [];

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.written.push(chunk);
    callback();
  }
}
