import { Duplex } from 'node:stream';
import { setImmediate as setImmediatePromise } from 'node:timers/promises';
import { GuardedConnection } from './guarded-connection';

/** What a socket would have been asked to send, one entry per write call (a writev is one). */
class RecordingSocket extends Duplex {
  readonly sends: string[][] = [];

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.sends.push([chunk.toString()]);
    callback();
  }

  override _writev(chunks: Array<{ chunk: Buffer }>, callback: () => void): void {
    this.sends.push(chunks.map(({ chunk }) => chunk.toString()));
    callback();
  }
}

class PassingGuard extends GuardedConnection {
  constructor(inner: Duplex) {
    super(inner);
  }

  protected admit(chunk: Buffer): Buffer {
    return chunk;
  }
}

/**
 * Two event-loop turns later: a setImmediate queued now runs after the ones queued already in
 * this turn, and the second one after those they queued (the guard's uncork). A timer would not
 * do: on a busy machine it can fire before the check phase that uncorks.
 */
const nextTurn = async () => {
  await setImmediatePromise();
  await setImmediatePromise();
};

describe('GuardedConnection', () => {
  it('sends the frames written by the callbacks of one event-loop turn in one write', async () => {
    const socket = new RecordingSocket();
    const guard = new PassingGuard(socket);
    // aedes delivers each message from its own setImmediate: a per-tick cork would send each alone.
    for (const frame of ['a', 'b', 'c']) setImmediate(() => guard.write(frame));
    await nextTurn();
    expect(socket.sends).toEqual([['a', 'b', 'c']]);
  });

  it('sends what the library corked when it is destroyed in the same turn', async () => {
    const socket = new RecordingSocket();
    const guard = new PassingGuard(socket);
    guard.write('last frame');
    guard.destroy();
    await nextTurn();
    expect(socket.sends.flat()).toEqual(['last frame']);
  });

  it('completes a write only once the socket took it (backpressure)', async () => {
    const socket = new RecordingSocket({ highWaterMark: 4 });
    socket.cork(); // the socket keeps what it is given until drained
    const guard = new PassingGuard(socket);
    let done = false;
    guard.write('more than four bytes', () => (done = true));
    await nextTurn();
    expect(done).toBe(false);
    socket.uncork();
    await nextTurn();
    expect(done).toBe(true);
  });

  it('passes on what arrives', async () => {
    const socket = new RecordingSocket();
    const guard = new PassingGuard(socket);
    const received: string[] = [];
    guard.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    socket.push('hello');
    await nextTurn();
    expect(received).toEqual(['hello']);
  });
});
