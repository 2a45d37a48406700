import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { encodeBody, encodeFrameWithBody, FrameDecoder, type BodyCodec, type Frame } from '@tessera/wire';

export type ScriptedAnswer = { body: Buffer } | { status: number; message: string } | 'silence';

/** A fake broker: every request frame goes to `answer`, which decides the response. */
export class ScriptedBroker {
  readonly requests: Frame[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly address: string,
  ) {}

  static async start(answer: (frame: Frame) => ScriptedAnswer): Promise<ScriptedBroker> {
    let broker: ScriptedBroker | undefined;
    const server = createServer((socket) => {
      broker!.sockets.add(socket);
      socket.on('close', () => broker!.sockets.delete(socket));
      const decoder = new FrameDecoder();
      socket.on('data', (chunk: Buffer) =>
        decoder.push(chunk, (frame) => {
          broker!.requests.push(frame);
          const reply = answer(frame);
          if (reply === 'silence' || frame.header.oneway) return;
          const header = { code: frame.header.code, requestId: frame.header.requestId, response: true };
          socket.write('body' in reply ? encodeFrameWithBody(header, reply.body) : encodeFrameWithBody({ ...header, ...reply }, Buffer.alloc(0)));
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    broker = new ScriptedBroker(server, `127.0.0.1:${(server.address() as AddressInfo).port}`);
    return broker;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The body bytes of a response, for ScriptedAnswer. */
export function responseBody<T>(codec: BodyCodec<T>, value: T): { body: Buffer } {
  return { body: encodeBody(codec, value) };
}
