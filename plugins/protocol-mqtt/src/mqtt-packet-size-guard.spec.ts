import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { MqttPacketSizeGuard } from './mqtt-packet-size-guard';

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
});
