import type { Aedes, Client, PublishPacket } from 'aedes';
import { RouteBeforePuback } from './route-before-puback';

const route = (routing: RouteBeforePuback, packet: PublishPacket, client: Client) =>
  new Promise<void>((resolve, reject) => routing.route(packet, client, (error) => (error ? reject(error) : resolve())));

describe('RouteBeforePuback', () => {
  const client = { id: 'publisher' } as unknown as Client;
  const packetOf = (topic: string) => ({ cmd: 'publish', topic, payload: Buffer.from('x'), qos: 1, retain: false, dup: false, messageId: 1 }) as PublishPacket;

  function fakeAedes() {
    const published: string[] = [];
    const aedes = {
      publish(packet: PublishPacket, clientOrDone: unknown, done?: (error?: Error | null) => void) {
        published.push(packet.topic);
        const callback = typeof clientOrDone === 'function' ? clientOrDone : done;
        (callback as (error?: Error | null) => void)?.(null);
      },
    };
    return { aedes: aedes as unknown as Aedes, published };
  }

  it('routes a packet once: early, and not again when aedes publishes it after the PUBACK', async () => {
    const { aedes, published } = fakeAedes();
    const routing = new RouteBeforePuback();
    routing.install(aedes);
    const packet = packetOf('a/b');
    await route(routing, packet, client);
    const acked = jest.fn();
    aedes.publish(packet, acked);
    expect(published).toEqual(['a/b']);
    expect(acked).toHaveBeenCalledWith(null);
    aedes.publish(packet, jest.fn());
    expect(published).toEqual(['a/b', 'a/b']);
  });

  it('leaves packets it did not route to aedes', () => {
    const { aedes, published } = fakeAedes();
    new RouteBeforePuback().install(aedes);
    aedes.publish(packetOf('c'), jest.fn());
    expect(published).toEqual(['c']);
  });

  it('refuses to route before it is installed, and passes a routing failure on', async () => {
    await expect(route(new RouteBeforePuback(), packetOf('d'), client)).rejects.toThrow(/not installed/);
    const failing = { publish: (_p: unknown, _c: unknown, done: (error: Error) => void) => done(new Error('store full')) } as unknown as Aedes;
    const routing = new RouteBeforePuback();
    routing.install(failing);
    await expect(route(routing, packetOf('e'), client)).rejects.toThrow('store full');
  });
});
