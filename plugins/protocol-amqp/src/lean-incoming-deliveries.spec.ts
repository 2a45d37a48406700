import type { AddressInfo } from 'node:net';
import rhea, { type Connection, type Delivery, type EventContext } from 'rhea';
import { installLeanIncomingDeliveries, writeDispositions, type IncomingDelivery } from './lean-incoming-deliveries';
import { rawTransferOf } from './raw-transfer-of';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Session = require('rhea/lib/session.js');

/**
 * A rhea server whose receiver settles each message as its body asks (accept, reject, release,
 * modify, or leave it to the client's settle mode), and a rhea client sending to it; returns what
 * the server received and the outcome the client saw for each message.
 */
async function roundTrip(
  bodies: Array<string | Buffer>,
): Promise<{ received: Array<{ body: string | Buffer; tag: string; remoteSettled: boolean; rawBody: unknown }>; outcomes: string[] }> {
  const server = rhea.create_container({ id: 'lean-server' });
  const received: Array<{ body: string | Buffer; tag: string; remoteSettled: boolean; rawBody: unknown }> = [];
  server.on('message', (context: EventContext) => {
    const delivery = context.delivery as Delivery & { tag: Buffer; remote_settled: boolean; modified(params: object): void };
    const body = context.message!.body as string | Buffer;
    const raw = rawTransferOf(delivery);
    received.push({ body, tag: delivery.tag.toString('hex'), remoteSettled: delivery.remote_settled, rawBody: raw && rhea.message.decode(raw).body });
    const text = Buffer.isBuffer(body) ? 'big' : body;
    if (text === 'reject') delivery.reject({ condition: 'amqp:invalid-field', description: 'no' });
    else if (text === 'release') delivery.release();
    else if (text === 'modify') delivery.modified({ delivery_failed: true });
    else delivery.accept();
  });
  const listener = server.listen({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => listener.once('listening', resolve));
  const port = (listener.address() as AddressInfo).port;
  const client = rhea.create_container({ id: 'lean-client' });
  const connection: Connection = client.connect({ host: '127.0.0.1', port, reconnect: false, max_frame_size: 16_384 });
  const sender = connection.open_sender({ target: { address: 'q' } });
  const outcomes = new Array<string>(bodies.length);
  let settled = 0;
  const done = new Promise<void>((resolve) => {
    for (const event of ['accepted', 'rejected', 'released', 'modified'] as const) {
      sender.on(event, (context: EventContext) => {
        const delivery = context.delivery as unknown as { index: number; remote_state?: { constructor: { composite_type?: string } } };
        // rhea's sender reports a modified outcome as released; its state tells them apart.
        outcomes[delivery.index] = delivery.remote_state?.constructor.composite_type ?? event;
        if (++settled === bodies.length) resolve();
      });
    }
  });
  await new Promise((resolve) => sender.once('sendable', resolve));
  bodies.forEach((body, index) => Object.assign(sender.send({ body }), { index }));
  const timeout = setTimeout(() => undefined, 10_000);
  await done;
  clearTimeout(timeout);
  connection.close();
  await new Promise((resolve) => connection.once('connection_close', resolve));
  listener.close();
  return { received, outcomes };
}

/** AMQP 1.0 outcome descriptor codes (3.4). */
const OUTCOME_NAMES: Record<number, string> = { 0x24: 'accepted', 0x25: 'rejected' };

describe('installLeanIncomingDeliveries', () => {
  it("replaces rhea's incoming transfer handling and keeps its behaviour: bodies, multi-frame messages, tags and every outcome", async () => {
    const incoming = Object.getPrototypeOf(new Session(undefined, 0).incoming);
    const rheaOnTransfer = incoming.on_transfer;
    installLeanIncomingDeliveries();
    expect(incoming.on_transfer).not.toBe(rheaOnTransfer);
    const big = Buffer.alloc(100_000, 0x5a);
    const { received, outcomes } = await roundTrip(['a', 'reject', big, 'release', 'modify', 'b']);
    expect(received.map((r) => (Buffer.isBuffer(r.body) ? r.body.equals(big) : r.body))).toEqual(['a', 'reject', true, 'release', 'modify', 'b']);
    expect(new Set(received.map((r) => r.tag)).size).toBe(6);
    expect(received.every((r) => r.remoteSettled === false)).toBe(true);
    // Each delivery keeps the bytes it came in: they decode to the message the receiver got.
    expect(received.map((r) => r.rawBody)).toEqual(received.map((r) => r.body));
    expect(outcomes).toEqual(['accepted', 'rejected', 'accepted', 'released', 'modified', 'accepted']);
  });

  it('writes one disposition per run of consecutive deliveries with the same outcome, never merging an accepted one with a rejected one', () => {
    const written: Array<{ first: number; last: number; outcome: string; settled: boolean }> = [];
    const link = {
      is_receiver: () => true,
      session: {
        output: (frame: { first: number; last: number; state?: { descriptor: { value: number } }; settled: boolean }) =>
          written.push({ first: frame.first, last: frame.last, outcome: OUTCOME_NAMES[frame.state?.descriptor.value ?? 0] ?? 'none', settled: frame.settled }),
      },
    };
    const outcomes = rhea.message as unknown as { accepted(): { described(): object }; rejected(fields: object): { described(): object } };
    const outcome = {
      accepted: outcomes.accepted().described(),
      rejected: outcomes.rejected({ error: { condition: 'amqp:invalid-field' } }).described(),
    };
    const delivery = (id: number, state: keyof typeof outcome, settled = true) => ({ id, state: outcome[state], settled, link }) as unknown as IncomingDelivery;
    writeDispositions([delivery(0, 'accepted'), delivery(1, 'rejected'), delivery(2, 'accepted'), delivery(3, 'accepted'), delivery(4, 'accepted', false), delivery(6, 'accepted')]);
    expect(written).toEqual([
      { first: 0, last: 0, outcome: 'accepted', settled: true },
      { first: 1, last: 1, outcome: 'rejected', settled: true },
      { first: 2, last: 3, outcome: 'accepted', settled: true },
      { first: 4, last: 4, outcome: 'accepted', settled: false },
      { first: 6, last: 6, outcome: 'accepted', settled: true },
    ]);
  });
});
