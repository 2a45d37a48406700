import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime, type SecuritySettings } from '@tessera/kernel';
import { memoryStoragePlugin } from '@tessera/testing';
import { MqttTopicMapping } from './mqtt-topic-mapping';
import type { MqttProtocolOptions } from './mqtt-protocol-options';
import { protocolMqttPlugin } from './protocol-mqtt-plugin';

const WAIT_MS = 5_000;
// Longer than any one bounded wait, so a wait that runs out fails with what it was waiting for.
jest.setTimeout(4 * WAIT_MS);

interface Received {
  topic: string;
  payload: string;
  packet: IPublishPacket;
}

/** Collects what a client receives; `next` waits (bounded) for the n-th message. */
function collect(client: MqttClient): { messages: Received[]; until(count: number): Promise<Received[]> } {
  const messages: Received[] = [];
  client.on('message', (topic, payload, packet) => messages.push({ topic, payload: payload.toString(), packet }));
  return {
    messages,
    until: async (count) => {
      await waitFor(() => messages.length >= count, () => `${count} messages (got ${messages.map((m) => `${m.topic} QoS ${m.packet.qos}`).join(', ')})`);
      return messages;
    },
  };
}

async function waitFor(condition: () => boolean, what: string | (() => string), timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('protocol-mqtt plugin', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let clients: MqttClient[];

  async function start(options: Partial<MqttProtocolOptions> = {}, maxMessageBytes = 64 * 1024, security?: SecuritySettings): Promise<void> {
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', maxMessageBytes, defaultQueueCount: 4 },
      security,
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolMqttPlugin, options: { port: 0, wsPort: 0, bridgeRescanMs: 50, ...options } }],
    });
    await runtime.start();
  }

  async function client(options: IClientOptions = {}, url = `mqtt://127.0.0.1:${runtime.endpoint('mqtt').port}`): Promise<MqttClient> {
    const connected = await connectAsync(url, { reconnectPeriod: 0, connectTimeout: WAIT_MS, ...options });
    clients.push(connected);
    return connected;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-mqtt-'));
    clients = [];
  });

  afterEach(async () => {
    for (const c of clients) c.end(true);
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports its TCP and WebSocket endpoints', async () => {
    await start();
    const endpoints = runtime.endpoints().filter((e) => e.protocol.startsWith('mqtt'));
    expect(endpoints.map((e) => e.protocol)).toEqual(['mqtt', 'mqtt-ws']);
    expect(endpoints.every((e) => e.host === '127.0.0.1' && e.port > 0)).toBe(true);
  });

  it('round-trips QoS 0, 1 and 2, over TCP and WebSocket, with + and # wildcards', async () => {
    await start();
    const plus = await client();
    const sharp = await client({}, `ws://127.0.0.1:${runtime.endpoint('mqtt-ws').port}/mqtt`);
    await plus.subscribeAsync('sensors/+/temp', { qos: 2 });
    await sharp.subscribeAsync('#', { qos: 2 });
    const plusReceived = collect(plus);
    const sharpReceived = collect(sharp);
    const publisher = await client();
    for (const qos of [0, 1, 2] as const) await publisher.publishAsync(`sensors/room${qos}/temp`, `t${qos}`, { qos });
    await publisher.publishAsync('sensors/room1/hum', 'h', { qos: 1 });
    await publisher.publishAsync('sensors', 'bare', { qos: 1 });

    const viaPlus = await plusReceived.until(3);
    // QoS 0 takes a shorter way through aedes than QoS 1 and 2, so only the set is certain.
    expect(viaPlus.map((m) => [m.topic, m.payload, m.packet.qos]).sort()).toEqual([
      ['sensors/room0/temp', 't0', 0],
      ['sensors/room1/temp', 't1', 1],
      ['sensors/room2/temp', 't2', 2],
    ]);
    const viaSharp = await sharpReceived.until(5);
    expect(viaSharp.map((m) => m.topic).sort()).toEqual(['sensors', 'sensors/room0/temp', 'sensors/room1/hum', 'sensors/room1/temp', 'sensors/room2/temp']);
    // MQTT messages reach MQTT subscribers once, through aedes, not again through the log bridge.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sharpReceived.messages).toHaveLength(5);
  });

  it('stores a QoS 1 publish in the log before the PUBACK, with its MQTT topic, QoS and retain flag', async () => {
    await start();
    const publisher = await client({ clientId: 'device-7' });
    await publisher.publishAsync('sensors/room1/temp', '21.5', { qos: 1, retain: true });
    const queueId = new MqttTopicMapping({ topicMapping: 'first-level', topic: 'mqtt' }).queueOf('sensors/room1/temp', 4);
    const result = await runtime.broker.pull({ topic: 'sensors', queueId, offset: 0, maxCount: 10, maxBytes: 1 << 20 });
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]!.body.toString()).toBe('21.5');
    expect(result.messages[0]!.properties).toEqual({ 'mqtt.topic': 'sensors/room1/temp', 'mqtt.qos': '1', 'mqtt.retain': '1', 'mqtt.origin': '1' });
  });

  it('puts every publish in one topic in fixed mode and keeps $ topics out of the log', async () => {
    await start({ topicMapping: 'fixed', topic: 'iot' });
    const publisher = await client();
    await publisher.publishAsync('a/b', 'one', { qos: 1 });
    await publisher.publishAsync('c', 'two', { qos: 1 });
    await publisher.publishAsync('$app/private', 'three', { qos: 1 });
    expect(runtime.broker.topics.list(false).map((t) => t.name)).toEqual(['iot']);
    let stored = 0;
    for (let queueId = 0; queueId < 4; queueId++) stored += runtime.broker.queueRange('iot', queueId).maxOffset;
    expect(stored).toBe(2);
  });

  it('delivers retained messages to later subscribers', async () => {
    await start();
    const publisher = await client();
    await publisher.publishAsync('status/door', 'open', { qos: 1, retain: true });
    const late = await client();
    const received = collect(late);
    await late.subscribeAsync('status/+', { qos: 1 });
    const [message] = await received.until(1);
    expect([message!.topic, message!.payload, message!.packet.retain]).toEqual(['status/door', 'open', true]);
  });

  it('publishes the will of a client that vanishes without DISCONNECT', async () => {
    await start();
    const watcher = await client();
    await watcher.subscribeAsync('wills/#', { qos: 1 });
    const received = collect(watcher);
    const doomed = await client({ will: { topic: 'wills/device-9', payload: Buffer.from('gone'), qos: 1, retain: false } });
    doomed.stream.destroy();
    const [will] = await received.until(1);
    expect([will!.topic, will!.payload]).toEqual(['wills/device-9', 'gone']);
  });

  it('republishes what other protocols produce to MQTT subscribers, under mqtt.topic or the topic name', async () => {
    await start();
    const subscriber = await client();
    const received = collect(subscriber);
    await subscriber.subscribeAsync('sensors/#', { qos: 1 });
    await subscriber.subscribeAsync('+/alerts', { qos: 1 });
    await runtime.broker.produce(
      [
        { topic: 'sensors', body: Buffer.from('native-1'), properties: { 'mqtt.topic': 'sensors/room9/temp' } },
        { topic: 'sensors', body: Buffer.from('native-2') },
      ],
      { protocol: 'native' },
    );
    // A topic created after the subscription: found by the bridge's rescan.
    await waitFor(() => runtime.broker.committedOffset('%MQTT-BRIDGE%', 'sensors', 0) !== undefined, 'the bridge to follow sensors');
    await runtime.broker.produce([{ topic: 'factory', body: Buffer.from('native-3'), properties: { 'mqtt.topic': 'alerts' } }], { protocol: 'amqp' });
    const messages = await received.until(3);
    expect(messages.map((m) => [m.topic, m.payload]).sort()).toEqual([
      ['factory/alerts', 'native-3'],
      ['sensors', 'native-2'],
      ['sensors/room9/temp', 'native-1'],
    ]);
  });

  it('refuses bad logins with CONNACK 4 and anonymous ones with 5 when anonymous access is off', async () => {
    await start({ allowAnonymous: false }, undefined, { users: [{ username: 'alice', password: 'secret' }] });
    await expect(client({ username: 'alice', password: 'wrong' })).rejects.toMatchObject({ code: 4 });
    await expect(client()).rejects.toMatchObject({ code: 5 });
    const alice = await client({ username: 'alice', password: 'secret' });
    expect(alice.connected).toBe(true);
  });

  it('enforces ACLs: a refused SUBSCRIBE gets 0x80, a refused PUBLISH closes the connection', async () => {
    await start({ acl: [{ username: 'alice', publish: ['sensors/+/temp'], subscribe: ['sensors/#'] }] }, undefined, { users: [{ username: 'alice', password: 'secret' }] });
    const alice = await client({ username: 'alice', password: 'secret' });
    // mqtt.js rejects a SUBACK holding a failure, and keeps the packet on the error.
    const refusal = await alice.subscribeAsync(['sensors/+/temp', 'other/#'], { qos: 1 }).catch((error: { packet: { granted: number[] } }) => error);
    expect(refusal).toMatchObject({ packet: { granted: [1, 128] } });
    await alice.publishAsync('sensors/room1/temp', 'ok', { qos: 1 });
    const closed = new Promise<void>((resolve) => alice.stream.once('close', () => resolve()));
    void alice.publishAsync('sensors/room1/hum', 'refused', { qos: 1 }).catch(() => undefined);
    await closed;
  });

  it("applies the user store's permissions to the Tessera topic: produce to publish, consume to subscribe", async () => {
    const security = {
      users: [{ username: 'meter', password: 'pw', permissions: { produce: ['meters'], consume: ['commands'] } }],
      anonymousPermissions: { produce: [], consume: ['meters'] },
    };
    await start({}, undefined, security);
    const meter = await client({ username: 'meter', password: 'pw' });
    const refusal = await meter.subscribeAsync(['commands/m1', 'meters/#', '#'], { qos: 1 }).catch((error: { packet: { granted: number[] } }) => error);
    expect(refusal).toMatchObject({ packet: { granted: [1, 128, 128] } });
    await meter.publishAsync('meters/m1', '42', { qos: 1 });
    const anonymous = await client();
    await anonymous.subscribeAsync('meters/#', { qos: 1 });
    const closed = new Promise<void>((resolve) => meter.stream.once('close', () => resolve()));
    void meter.publishAsync('commands/m1', 'refused', { qos: 1 }).catch(() => undefined);
    await closed;
  });

  it('closes the connection of a client whose publish the store refuses, and keeps serving others', async () => {
    await start({}, 1024);
    const bystander = await client();
    const offender = await client();
    const closed = new Promise<void>((resolve) => offender.stream.once('close', () => resolve()));
    void offender.publishAsync('big/one', Buffer.alloc(2048), { qos: 1 }).catch(() => undefined);
    await closed;
    await bystander.publishAsync('small/one', 'fine', { qos: 1 });
    expect([0, 1, 2, 3].map((queueId) => runtime.broker.queueRange('big', queueId).maxOffset)).toEqual([0, 0, 0, 0]);
    expect(runtime.broker.queueRange('small', new MqttTopicMapping({ topicMapping: 'first-level', topic: 'mqtt' }).queueOf('small/one', 4)).maxOffset).toBe(1);
  });

  it('closes a connection announcing a packet over maxPacketSize, and keeps serving others', async () => {
    await start({ maxPacketSize: 512 });
    const bystander = await client();
    const offender = await client();
    const closed = new Promise<void>((resolve) => offender.stream.once('close', () => resolve()));
    void offender.publishAsync('big/one', Buffer.alloc(1024), { qos: 1 }).catch(() => undefined);
    await closed;
    await bystander.publishAsync('small/one', Buffer.alloc(256), { qos: 1 });
  });

  it('closes a connection that sends garbage', async () => {
    await start();
    const socket = connectTcp({ host: '127.0.0.1', port: runtime.endpoint('mqtt').port });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    await closed;
    const healthy = await client();
    expect(healthy.connected).toBe(true);
  });
});
