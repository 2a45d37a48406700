import { createServer, type AddressInfo, type Server } from 'node:net';
import { Aedes, type PublishPacket } from 'aedes';
import { connectAsync, type MqttClient } from 'mqtt';
import { ExactDeliveryDedupe } from './exact-delivery-dedupe';

const packetOf = (topic: string, qos: 0 | 1) => ({ cmd: 'publish', topic, payload: Buffer.from(topic), qos, retain: false, dup: false }) as PublishPacket;

describe('ExactDeliveryDedupe', () => {
  let aedes: Aedes;
  let server: Server;
  let subscriber: MqttClient;

  async function start(dedupe: boolean, filters: string[]): Promise<string[]> {
    aedes = await Aedes.createBroker();
    if (dedupe) new ExactDeliveryDedupe().install(aedes);
    server = createServer((socket) => aedes.handle(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    subscriber = await connectAsync({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, reconnectPeriod: 0 });
    for (const filter of filters) await subscriber.subscribeAsync(filter, { qos: 1 });
    const received: string[] = [];
    subscriber.on('message', (topic) => received.push(topic));
    return received;
  }

  async function publishInOneTurn(...packets: PublishPacket[]): Promise<void> {
    await Promise.all(packets.map((packet) => new Promise<void>((resolve) => aedes.publish(packet, () => resolve()))));
  }

  async function settle(received: string[], count: number): Promise<void> {
    for (let waited = 0; received.length < count && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 100)); // and nothing more comes
  }

  afterEach(async () => {
    await subscriber.endAsync(true);
    await new Promise<void>((resolve) => aedes.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers a QoS 1 message a QoS 0 one routed just after it overtook (aedes alone drops it)', async () => {
    const received = await start(true, ['#']);
    await publishInOneTurn(packetOf('events/door', 1), packetOf('telemetry/temp', 0));
    await settle(received, 2);
    expect(received.sort()).toEqual(['events/door', 'telemetry/temp']);
  });

  it('is needed: without it, aedes drops the overtaken QoS 1 message', async () => {
    const received = await start(false, ['#']);
    await publishInOneTurn(packetOf('events/door', 1), packetOf('telemetry/temp', 0));
    await settle(received, 2);
    expect(received).toEqual(['telemetry/temp']);
  });

  it('still delivers a message matching several of a client’s subscriptions once', async () => {
    const received = await start(true, ['#', 'events/#', 'events/door']);
    await publishInOneTurn(packetOf('events/door', 1), packetOf('events/window', 0));
    await publishInOneTurn(packetOf('events/door', 0));
    await settle(received, 3);
    expect(received.sort()).toEqual(['events/door', 'events/door', 'events/window']);
  });
});
