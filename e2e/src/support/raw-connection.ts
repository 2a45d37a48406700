import { connect, type Socket } from 'node:net';
import { FrameDecoder, type Frame } from '@tessera/wire';
import { Arrivals } from './arrivals';

export type RawReply = { kind: 'frame'; frame: Frame } | { kind: 'closed' } | { kind: 'silent' };

/** A bare TCP connection to the native port, for sending hand-made bytes and reading frames back. */
export class RawConnection {
  private readonly frames = new Arrivals<Frame>();

  private constructor(private readonly socket: Socket) {
    const decoder = new FrameDecoder(64 * 1024 * 1024);
    socket.on('data', (chunk: Buffer) => decoder.push(chunk, (frame) => this.frames.push({ header: frame.header, body: Buffer.from(frame.body) })));
    socket.on('error', () => undefined);
    socket.on('close', () => this.frames.close());
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => resolve(new RawConnection(socket)));
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next frame the broker sent, 'closed' once it hung up, or 'silent' after `timeoutMs`. */
  async next(timeoutMs: number): Promise<RawReply> {
    const frame = await this.frames.next(timeoutMs);
    return frame === 'closed' || frame === 'silent' ? { kind: frame } : { kind: 'frame', frame };
  }

  /** Waits until the broker closes the connection; false if it is still open after `timeoutMs`. */
  async closedWithin(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.next(deadline - Date.now())).kind === 'closed') return true;
    }
    return this.frames.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}
