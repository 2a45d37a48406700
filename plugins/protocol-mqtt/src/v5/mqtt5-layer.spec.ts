import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, ProtocolAdapter, type BrokerRuntime, type SecuritySettings } from '@tessera/kernel';
import { memoryStoragePlugin, RawMqtt5Client } from '@tessera/testing';
import type { MqttProtocolOptions } from '../mqtt-protocol-options';
import { protocolMqttPlugin } from '../protocol-mqtt-plugin';

const WAIT_MS = 5_000;

async function waitFor(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function collect(client: MqttClient): IPublishPacket[] {
  const packets: IPublishPacket[] = [];
  // mqtt.js leaves the packet's topic empty when it came as an alias alone.
  client.on('message', (topic, _payload, packet) => packets.push({ ...packet, topic }));
  return packets;
}

describe('MQTT 5 layer (in-process broker, mqtt.js clients)', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let clients: MqttClient[];

  async function start(options: Partial<MqttProtocolOptions> = {}, security?: SecuritySettings, maxMessageBytes?: number): Promise<void> {
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', defaultQueueCount: 4, maxMessageBytes },
      security,
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolMqttPlugin, options: { port: 0, wsPort: null, bridgeRescanMs: 50, ...options } }],
    });
    await runtime.start();
  }

  async function client(options: IClientOptions = {}): Promise<MqttClient> {
    const connected = await connectAsync(`mqtt://127.0.0.1:${runtime.endpoint('mqtt').port}`, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: WAIT_MS,
      ...options,
    });
    clients.push(connected);
    return connected;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-mqtt5-'));
    clients = [];
  });

  afterEach(async () => {
    for (const c of clients) c.end(true);
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts a v5 CONNECT and announces its limits in the CONNACK', async () => {
    await start({ receiveMaximum: 7, topicAliasMaximum: 5 });
    const c = await client({ clientId: '' });
    const connack = (c as unknown as { connackPacket?: { properties?: Record<string, unknown> } }).connackPacket;
    expect(connack?.properties).toMatchObject({ receiveMaximum: 7, topicAliasMaximum: 5, maximumPacketSize: 1048576 });
    expect(connack?.properties?.assignedClientIdentifier).toMatch(/^aedes_/);
  });

  it('gives Response Information (<responseTopicPrefix><client id>/) only to a client that requests it, and none without the option', async () => {
    const connack = (connected: MqttClient) => (connected as unknown as { connackPacket: { properties?: Record<string, unknown> } }).connackPacket.properties ?? {};
    const requesting: IClientOptions = { properties: { requestResponseInformation: true } };
    await start({ responseTopicPrefix: 'replies/' });
    expect(connack(await client({ ...requesting, clientId: 'asker' })).responseInformation).toBe('replies/asker/');
    expect(connack(await client({ clientId: 'quiet' }))).not.toHaveProperty('responseInformation');
    expect(connack(await client({ clientId: 'declines', properties: { requestResponseInformation: false } }))).not.toHaveProperty('responseInformation');
    expect(connack(await client({ ...requesting, clientId: 'wild+card' }))).not.toHaveProperty('responseInformation');
    const assigned = connack(await client({ ...requesting, clientId: '' }));
    expect(assigned.responseInformation).toBe(`replies/${assigned.assignedClientIdentifier as string}/`);
    for (const c of clients) c.end(true);
    clients = [];
    await runtime.stop();

    await start();
    expect(connack(await client({ ...requesting, clientId: 'asker' }))).not.toHaveProperty('responseInformation');
    expect(() =>
      createBroker({ plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolMqttPlugin, options: { responseTopicPrefix: 'replies/+/' } }] }),
    ).toThrow(/responseTopicPrefix/);
  });

  it('passes user properties, content type, response topic and correlation data from v5 to v5', async () => {
    await start();
    const subscriber = await client();
    const received = collect(subscriber);
    await subscriber.subscribeAsync('req/#', { qos: 1, properties: { subscriptionIdentifier: 42 } });
    const publisher = await client();
    await publisher.publishAsync('req/a', 'hello', {
      qos: 1,
      properties: {
        userProperties: { a: '1', b: '2' },
        contentType: 'text/plain',
        responseTopic: 'resp/a',
        correlationData: Buffer.from([1, 2, 3]),
        messageExpiryInterval: 60,
      },
    });
    await waitFor(() => received.length === 1, 'the message');
    const properties = received[0]!.properties!;
    expect(properties).toMatchObject({ userProperties: { a: '1', b: '2' }, contentType: 'text/plain', responseTopic: 'resp/a', subscriptionIdentifier: 42 });
    expect(Buffer.from(properties.correlationData!)).toEqual(Buffer.from([1, 2, 3]));
    expect(properties.messageExpiryInterval).toBeGreaterThan(58);
    expect(properties.messageExpiryInterval).toBeLessThanOrEqual(60);
  });

  it('answers a bad password with CONNACK 0x86 and an anonymous client that must log in with 0x87', async () => {
    await start({ allowAnonymous: false }, { users: [{ username: 'u', password: 'p' }] });
    await expect(client({ username: 'u', password: 'p' })).resolves.toBeDefined();
    await expect(client({ username: 'u', password: 'wrong' })).rejects.toMatchObject({ code: 0x86 });
    await expect(client()).rejects.toMatchObject({ code: 0x87 });
  });

  it('refuses a publish the ACL forbids with PUBACK 0x87 and keeps the connection; a refused subscription gets 0x87, a malformed shared one 0x8F', async () => {
    await start({ acl: [{ publish: ['open/#'], subscribe: ['open/#'] }] });
    const publisher = await client();
    // mqtt.js rejects a SUBACK holding a failure, with the SUBACK.
    const suback = await publisher.subscribeAsync({ 'open/a': { qos: 1 }, 'closed/a': { qos: 1 }, '$share/g': { qos: 1 } }).then(
      () => undefined,
      (error: { packet?: { granted?: number[] } }) => error.packet,
    );
    expect(suback?.granted).toEqual([1, 0x87, 0x8f]);
    await expect(publisher.publishAsync('closed/a', 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await expect(publisher.publishAsync('open/a', 'x', { qos: 1 })).resolves.toBeDefined();
    expect(publisher.connected).toBe(true);
  });

  it('refuses a publish whose payload is not the UTF-8 its Payload Format Indicator announces with PUBACK 0x99', async () => {
    await start();
    const publisher = await client();
    const notUtf8 = Buffer.from([0x68, 0x69, 0xc3, 0x28]);
    await expect(publisher.publishAsync('text/a', notUtf8, { qos: 1, properties: { payloadFormatIndicator: true } })).rejects.toMatchObject({ code: 0x99 });
    await expect(publisher.publishAsync('text/a', Buffer.from('héllo'), { qos: 1, properties: { payloadFormatIndicator: true } })).resolves.toBeDefined();
    await expect(publisher.publishAsync('bytes/a', notUtf8, { qos: 1 })).resolves.toBeDefined();
    expect(publisher.connected).toBe(true);
  });

  it('resolves topic aliases from a client and assigns aliases to a client that allows them', async () => {
    await start();
    const subscriber = await client({ properties: { topicAliasMaximum: 4 } });
    const onWire: Array<{ topic: string; alias?: number }> = [];
    subscriber.on('packetreceive', (packet) => {
      if (packet.cmd === 'publish') onWire.push({ topic: packet.topic, alias: packet.properties?.topicAlias });
    });
    const received = collect(subscriber);
    await subscriber.subscribeAsync('alias/#', { qos: 1 });
    const publisher = await client({ autoAssignTopicAlias: true });
    for (let i = 0; i < 3; i++) await publisher.publishAsync('alias/long/topic/name', `m${i}`, { qos: 1 });
    await waitFor(() => received.length === 3, '3 messages');
    expect(received.map((packet) => packet.topic)).toEqual(Array(3).fill('alias/long/topic/name'));
    expect(onWire).toEqual([
      { topic: 'alias/long/topic/name', alias: 1 },
      { topic: '', alias: 1 },
      { topic: '', alias: 1 },
    ]);
  });

  it('never has more QoS 1 messages unacknowledged at a client than its receive maximum, and delivers them all', async () => {
    await start();
    const subscriber = await RawMqtt5Client.connect(runtime.endpoint('mqtt').port, 'slow', { properties: { receiveMaximum: 2 } });
    subscriber.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'flow/#', qos: 1 }] });
    await waitFor(() => subscriber.packets.some((packet) => packet.cmd === 'suback'), 'SUBACK');
    const publisher = await client();
    for (let i = 0; i < 6; i++) await publisher.publishAsync('flow/a', `m${i}`, { qos: 1 });
    for (let acked = 0; acked < 6; acked++) {
      await waitFor(() => subscriber.publishes().length >= Math.min(6, acked + 2), `publish ${acked + 2}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(subscriber.publishes().length - acked).toBeLessThanOrEqual(2);
      subscriber.send({ cmd: 'puback', messageId: subscriber.publishes()[acked]!.messageId! });
    }
    expect(subscriber.publishes().map((packet) => String(packet.payload))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    subscriber.close();
  });

  it('disconnects a client exceeding the receive maximum with 0x93 and one using an alias above the maximum with 0x94', async () => {
    await start({ receiveMaximum: 2, topicAliasMaximum: 1 });
    const port = runtime.endpoint('mqtt').port;
    const flooding = await RawMqtt5Client.connect(port, 'flooding');
    for (let messageId = 1; messageId <= 3; messageId++) {
      flooding.send({ cmd: 'publish', topic: 'flood/a', payload: Buffer.from('x'), qos: 2, messageId, retain: false, dup: false });
    }
    await waitFor(() => flooding.closed, 'the connection to close');
    expect(flooding.packets.find((packet) => packet.cmd === 'disconnect')).toMatchObject({ reasonCode: 0x93 });

    const aliasing = await RawMqtt5Client.connect(port, 'aliasing');
    aliasing.send({ cmd: 'publish', topic: 'a', payload: Buffer.from('x'), qos: 0, retain: false, dup: false, properties: { topicAlias: 2 } });
    await waitFor(() => aliasing.closed, 'the connection to close');
    expect(aliasing.packets.find((packet) => packet.cmd === 'disconnect')).toMatchObject({ reasonCode: 0x94 });
  });

  it('keeps a session for its expiry interval and discards it after', async () => {
    await start();
    const first = await client({ clientId: 'expiring', clean: false, properties: { sessionExpiryInterval: 1 } });
    await first.subscribeAsync('kept/#', { qos: 1 });
    first.end(true);
    await waitFor(() => !first.connected, 'the disconnect');
    const resumed = await client({ clientId: 'expiring', clean: false, properties: { sessionExpiryInterval: 1 } });
    expect((resumed as unknown as { connackPacket: { sessionPresent: boolean } }).connackPacket.sessionPresent).toBe(true);
    resumed.end(true);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = await client({ clientId: 'expiring', clean: false, properties: { sessionExpiryInterval: 1 } });
    expect((later as unknown as { connackPacket: { sessionPresent: boolean } }).connackPacket.sessionPresent).toBe(false);
  });

  it('does not deliver a queued message past its expiry, and gives a delivered one the remaining interval', async () => {
    await start();
    const offline = await client({ clientId: 'offline', clean: false, properties: { sessionExpiryInterval: 300 } });
    await offline.subscribeAsync('exp/#', { qos: 1 });
    offline.end(true);
    await waitFor(() => !offline.connected, 'the disconnect');
    const publisher = await client();
    await publisher.publishAsync('exp/short', 'short', { qos: 1, properties: { messageExpiryInterval: 1 } });
    await publisher.publishAsync('exp/long', 'long', { qos: 1, properties: { messageExpiryInterval: 100 } });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const back = await client({ clientId: 'offline', clean: false, properties: { sessionExpiryInterval: 300 } });
    const received = collect(back);
    await waitFor(() => received.length >= 1, 'the queued message');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((packet) => String(packet.payload))).toEqual(['long']);
    expect(received[0]!.properties?.messageExpiryInterval).toBeLessThanOrEqual(98);
    expect(received[0]!.properties?.messageExpiryInterval).toBeGreaterThan(90);
  });

  it('does not send a no-local subscriber its own messages', async () => {
    await start();
    const both = await client();
    const received = collect(both);
    await both.subscribeAsync('nl/#', { qos: 1, nl: true });
    const other = await client();
    await both.publishAsync('nl/own', 'own', { qos: 1 });
    await other.publishAsync('nl/other', 'other', { qos: 1 });
    await waitFor(() => received.length >= 1, 'the message');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((packet) => String(packet.payload))).toEqual(['other']);
  });

  it('publishes a will after its delay, and not when the client comes back in time', async () => {
    await start();
    const watcher = await client();
    const wills = collect(watcher);
    await watcher.subscribeAsync('will/#', { qos: 1 });
    const will = (name: string) => ({ topic: `will/${name}`, payload: Buffer.from(name), qos: 1 as const, retain: false, properties: { willDelayInterval: 1 } });
    const options = (name: string): IClientOptions => ({ clientId: name, clean: false, properties: { sessionExpiryInterval: 60 }, will: will(name) });
    const returning = await client(options('returning'));
    const gone = await client(options('gone'));
    returning.stream.destroy();
    gone.stream.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(wills).toEqual([]);
    await client(options('returning'));
    await waitFor(() => wills.length >= 1, 'the will');
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(wills.map((packet) => packet.topic)).toEqual(['will/gone']);
    expect(Object.keys(wills[0]!.properties ?? {})).not.toContain('willDelayInterval');
  });

  it('lets a 3.1.1 client and a v5 client exchange messages', async () => {
    await start();
    const v3 = await client({ protocolVersion: 4 });
    const v5 = await client();
    const atV3 = collect(v3);
    const atV5 = collect(v5);
    await v3.subscribeAsync('mixed/to3', { qos: 1 });
    await v5.subscribeAsync('mixed/to5', { qos: 1 });
    await v5.publishAsync('mixed/to3', 'from5', { qos: 1, properties: { userProperties: { k: 'v' }, messageExpiryInterval: 30 } });
    await v3.publishAsync('mixed/to5', 'from3', { qos: 1 });
    await waitFor(() => atV3.length === 1 && atV5.length === 1, 'both messages');
    expect(String(atV3[0]!.payload)).toBe('from5');
    expect(String(atV5[0]!.payload)).toBe('from3');
  });

  it("skips retained messages for Retain Handling 2 and keeps a retained message's properties", async () => {
    await start();
    const publisher = await client();
    await publisher.publishAsync('ret/a', 'kept', { qos: 1, retain: true, properties: { contentType: 'text/plain', userProperties: { r: '1' } } });
    const never = await client();
    const atNever = collect(never);
    await never.subscribeAsync('ret/#', { qos: 1, rh: 2 });
    const always = await client();
    const atAlways = collect(always);
    await always.subscribeAsync('ret/#', { qos: 1, rh: 0, properties: { subscriptionIdentifier: 9 } });
    await waitFor(() => atAlways.length === 1, 'the retained message');
    expect(atAlways[0]!.properties).toMatchObject({ contentType: 'text/plain', userProperties: { r: '1' }, subscriptionIdentifier: 9 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(atNever).toEqual([]);
  });

  it('stores v5 properties with the message in the log, and republishes them from a message another protocol wrote', async () => {
    await start();
    const publisher = await client();
    await publisher.publishAsync('logged/a', 'v5', {
      qos: 1,
      properties: { contentType: 'text/plain', responseTopic: 'reply/a', correlationData: Buffer.from('c1'), userProperties: { who: 'me' }, messageExpiryInterval: 60 },
    });
    const stored: Array<Record<string, string>> = [];
    for (let queueId = 0; queueId < 4; queueId++) {
      const result = await runtime.broker.pull({ topic: 'logged', queueId, offset: 0, maxCount: 10, maxBytes: 1 << 20 });
      stored.push(...result.messages.map((message) => message.properties));
    }
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      'mqtt.contentType': 'text/plain',
      'mqtt.responseTopic': 'reply/a',
      'mqtt.correlationData': Buffer.from('c1').toString('base64'),
      'mqtt.user.who': 'me',
    });
    expect(Number(stored[0]!['mqtt.expiresAt'])).toBeGreaterThan(Date.now() + 55_000);

    const subscriber = await client();
    const received = collect(subscriber);
    await subscriber.subscribeAsync('native/#', { qos: 1 });
    await runtime.broker.produce(
      [
        { topic: 'native', body: Buffer.from('expired'), properties: { 'mqtt.expiresAt': String(Date.now() - 1) } },
        {
          topic: 'native',
          body: Buffer.from('fresh'),
          properties: { 'mqtt.contentType': 'application/json', 'mqtt.correlationData': 'AQI=', 'mqtt.user.trace': 't-1', 'mqtt.expiresAt': String(Date.now() + 30_000) },
        },
      ],
      { protocol: 'native' },
    );
    await waitFor(() => received.length >= 1, 'the republished message');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.map((packet) => String(packet.payload))).toEqual(['fresh']);
    expect(received[0]!.properties).toMatchObject({ contentType: 'application/json', userProperties: { trace: 't-1' } });
    expect(Buffer.from(received[0]!.properties!.correlationData!)).toEqual(Buffer.from([1, 2]));
    expect(received[0]!.properties!.messageExpiryInterval).toBeGreaterThan(25);
  });

  it("keeps a resumed session's subscription identifiers, and a clean start with an expiry replaces the stored session", async () => {
    await start();
    const options: IClientOptions = { clientId: 'ids', clean: false, properties: { sessionExpiryInterval: 60 } };
    const first = await client(options);
    await first.subscribeAsync('ids/#', { qos: 1, properties: { subscriptionIdentifier: 5 } });
    first.end(true);
    await waitFor(() => !first.connected, 'the disconnect');
    const resumed = await client(options);
    const received = collect(resumed);
    const publisher = await client();
    await publisher.publishAsync('ids/x', 'x', { qos: 1 });
    await waitFor(() => received.length === 1, 'the message');
    expect(received[0]!.properties?.subscriptionIdentifier).toBe(5);
    resumed.end(true);
    await waitFor(() => !resumed.connected, 'the disconnect');
    const fresh = await client({ ...options, clean: true });
    expect((fresh as unknown as { connackPacket: { sessionPresent: boolean } }).connackPacket.sessionPresent).toBe(false);
    fresh.end(true);
    await waitFor(() => !fresh.connected, 'the disconnect');
    // The clean start began a new session, kept 60 s: it is present, and empty (the old subscription went with the old session).
    const again = await client(options);
    expect((again as unknown as { connackPacket: { sessionPresent: boolean } }).connackPacket.sessionPresent).toBe(true);
    const afterwards = collect(again);
    await publisher.publishAsync('ids/y', 'y', { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(afterwards).toEqual([]);
  });

  it('publishes the will on DISCONNECT 0x04 but not on DISCONNECT 0x00, and ends the session at once on a DISCONNECT setting its expiry to 0', async () => {
    await start();
    const watcher = await client();
    const wills = collect(watcher);
    await watcher.subscribeAsync('bye/#', { qos: 1 });
    const will = (topic: string) => ({ will: { topic, payload: Buffer.from('w'), qos: 1 as const, retain: false } });
    (await client(will('bye/normal'))).end(false, { reasonCode: 0 });
    (await client(will('bye/with-will'))).end(false, { reasonCode: 0x04 });
    await waitFor(() => wills.length === 1, 'the will');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(wills.map((packet) => packet.topic)).toEqual(['bye/with-will']);

    const options: IClientOptions = { clientId: 'short', clean: false, properties: { sessionExpiryInterval: 60 } };
    const session = await client(options);
    await session.subscribeAsync('short/#', { qos: 1 });
    session.end(false, { reasonCode: 0, properties: { sessionExpiryInterval: 0 } });
    await waitFor(() => !session.connected, 'the disconnect');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const back = await client(options);
    expect((back as unknown as { connackPacket: { sessionPresent: boolean } }).connackPacket.sessionPresent).toBe(false);
  });

  it('answers a publish the broker does not store with a negative PUBACK or PUBREC, and keeps the connection', async () => {
    await start({}, undefined, 1024);
    const publisher = await client();
    await expect(publisher.publishAsync('big/a', Buffer.alloc(2048), { qos: 1 })).rejects.toMatchObject({ code: 0x97 });
    await expect(publisher.publishAsync('big/b', Buffer.alloc(2048), { qos: 2 })).rejects.toMatchObject({ code: 0x97 });
    await expect(publisher.publishAsync('$SYS/fake', 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await expect(publisher.publishAsync('$share/g/x', 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x90 });
    await expect(publisher.publishAsync(`${'x'.repeat(200)}/a`, 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x90 });
    await publisher.publishAsync('big/c', Buffer.alloc(2048), { qos: 0 });
    await expect(publisher.publishAsync('small/a', 'fits', { qos: 1 })).resolves.toBeDefined();
    expect(publisher.connected).toBe(true);
    expect([0, 1, 2, 3].map((queueId) => runtime.broker.queueRange('big', queueId).maxOffset)).toEqual([0, 0, 0, 0]);
  });

  it("applies the user store's permissions to v5 clients: PUBACK 0x87 and SUBACK 0x87 where they do not allow", async () => {
    await start({}, { users: [{ username: 'meter', password: 'pw', permissions: { produce: ['meters'], consume: ['commands'] } }] });
    const meter = await client({ username: 'meter', password: 'pw' });
    const suback = await meter.subscribeAsync({ 'commands/m1': { qos: 1 }, 'meters/#': { qos: 1 }, '#': { qos: 1 } }).then(
      () => undefined,
      (error: { packet?: { granted?: number[] } }) => error.packet,
    );
    expect(suback?.granted).toEqual([1, 0x87, 0x87]);
    await expect(meter.publishAsync('commands/m1', 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await expect(meter.publishAsync('meters/m1', '42', { qos: 1 })).resolves.toBeDefined();
  });

  it('sends DISCONNECT 0x8E to the connection whose session another one takes over', async () => {
    await start();
    const first = await client({ clientId: 'twice' });
    const disconnects: number[] = [];
    first.on('disconnect', (packet) => disconnects.push(packet.reasonCode ?? 0));
    await client({ clientId: 'twice' });
    await waitFor(() => disconnects.length === 1, 'the DISCONNECT');
    expect(disconnects).toEqual([0x8e]);
  });

  it('gives a v5 client the keep alive limit as Server Keep Alive and sends DISCONNECT 0x8D when it passes; refuses a 3.1.1 client over the limit', async () => {
    await start({ keepaliveLimit: 1 });
    const silent = await RawMqtt5Client.connect(runtime.endpoint('mqtt').port, 'silent', { keepalive: 0 });
    expect(silent.packets.find((packet) => packet.cmd === 'connack')).toMatchObject({ reasonCode: 0, properties: { serverKeepAlive: 1 } });
    await waitFor(() => silent.closed, 'the keep alive timeout');
    expect(silent.packets.find((packet) => packet.cmd === 'disconnect')).toMatchObject({ reasonCode: 0x8d });
    await expect(client({ protocolVersion: 4, keepalive: 60 })).rejects.toMatchObject({ code: 2 });
    await expect(client({ protocolVersion: 4, keepalive: 1 })).resolves.toBeDefined();
  });

  it('sends DISCONNECT 0x95 before closing a connection announcing a packet over maxPacketSize', async () => {
    await start({ maxPacketSize: 512 });
    const big = await RawMqtt5Client.connect(runtime.endpoint('mqtt').port, 'big');
    big.send({ cmd: 'publish', topic: 'big/a', payload: Buffer.alloc(1024), qos: 1, messageId: 1, retain: false, dup: false });
    await waitFor(() => big.closed, 'the connection to close');
    expect(big.packets.find((packet) => packet.cmd === 'disconnect')).toMatchObject({ reasonCode: 0x95 });
  });

  it('sends DISCONNECT 0x8B to v5 clients when the broker stops', async () => {
    await start();
    const connected = await client();
    const disconnects: number[] = [];
    connected.on('disconnect', (packet) => disconnects.push(packet.reasonCode ?? 0));
    await runtime.stop();
    await waitFor(() => disconnects.length === 1, 'the DISCONNECT');
    expect(disconnects).toEqual([0x8b]);
  });

  it('keeps session expiry and will delay deadlines across a restart of the MQTT front', async () => {
    await start();
    const port = () => runtime.endpoint('mqtt').port;
    const persistent = (clientId: string, sessionExpiryInterval: number, extra: IClientOptions = {}): IClientOptions => ({
      clientId,
      clean: false,
      properties: { sessionExpiryInterval },
      ...extra,
    });
    const watcher = await client(persistent('watcher', 300));
    await watcher.subscribeAsync('will/#', { qos: 1 });
    watcher.end(true);
    const short = await client(persistent('short', 1));
    await short.subscribeAsync('short/#', { qos: 1 });
    short.end(true);
    const long = await client(persistent('long', 300));
    await long.subscribeAsync('long/#', { qos: 1 });
    long.end(true);
    const will = { topic: 'will/gone', payload: Buffer.from('gone'), qos: 1 as const, retain: false, properties: { willDelayInterval: 1 } };
    const gone = await client(persistent('gone', 300, { will }));
    gone.stream.destroy();
    await waitFor(() => !watcher.connected && !short.connected && !long.connected && !gone.connected, 'the disconnects');

    const adapter = runtime.container.getAll<ProtocolAdapter>(ProtocolAdapter).find((candidate) => candidate.protocol === 'mqtt')!;
    await adapter.stop();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await adapter.start();

    const present = async (options: IClientOptions) => {
      const again = await connectAsync(`mqtt://127.0.0.1:${port()}`, { protocolVersion: 5, reconnectPeriod: 0, ...options });
      clients.push(again);
      return { client: again, present: (again as unknown as { connackPacket: { sessionPresent: boolean } }).connackPacket.sessionPresent };
    };
    expect((await present(persistent('short', 1))).present).toBe(false);
    expect((await present(persistent('long', 300))).present).toBe(true);
    const back = await present(persistent('watcher', 300));
    expect(back.present).toBe(true);
    const wills = collect(back.client);
    await waitFor(() => wills.length === 1, 'the delayed will');
    expect(wills.map((packet) => packet.topic)).toEqual(['will/gone']);
  });
});
