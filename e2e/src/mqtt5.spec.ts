import { connectAsync, type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { PullConsumer } from '@tessera/client';
import { killAllBrokers, RawMqtt5Client } from '@tessera/testing';
import { startMosquittoClient } from './support/mqtt-command-line-client';
import { startMqttBroker, type MqttBroker } from './support/mqtt-broker';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';

const QUEUE_COUNT = 8;
const WAIT_MS = 10_000;
const SERVER_RECEIVE_MAXIMUM = 16;
const LOGIN = { username: 'device', password: 'secret' };
const MQTT_OPTIONS = { allowAnonymous: false, receiveMaximum: SERVER_RECEIVE_MAXIMUM, topicAliasMaximum: 8 };
/** The broker's users, shared by every protocol front. */
const SECURITY = { security: { users: [LOGIN] } };

interface Received {
  topic: string;
  payload: string;
  packet: IPublishPacket;
}

function collect(client: MqttClient): Received[] {
  const received: Received[] = [];
  // mqtt.js leaves packet.topic empty when the topic came as an alias alone; the event's topic is resolved.
  client.on('message', (topic, payload, packet) => received.push({ topic, payload: payload.toString(), packet }));
  return received;
}

function sessionPresent(client: MqttClient): boolean {
  return (client as unknown as { connackPacket: { sessionPresent: boolean } }).connackPacket.sessionPresent;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MQTT 5 with real clients against a broker process', () => {
  let dir: string;
  let running: MqttBroker;
  const clients: MqttClient[] = [];

  async function v5Client(options: IClientOptions = {}): Promise<MqttClient> {
    const client = await connectAsync(`mqtt://127.0.0.1:${running.mqttPort}`, {
      protocolVersion: 5,
      reconnectPeriod: 0,
      connectTimeout: WAIT_MS,
      ...LOGIN,
      ...options,
    });
    clients.push(client);
    return client;
  }

  async function disconnected(client: MqttClient): Promise<void> {
    await waitUntil(() => !client.connected, WAIT_MS, () => 'the client to disconnect');
  }

  beforeAll(async () => {
    dir = makeTempDir();
    running = await startMqttBroker(dir, MQTT_OPTIONS, undefined, SECURITY);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.end(true);
  });

  afterAll(async () => {
    await killAllBrokers();
    removeTempDir(dir);
  });

  it('answers CONNECT with MQTT 5 reason codes: 0 and the server limits, 0x86 for a bad login, 0x87 for an anonymous client', async () => {
    const good = await v5Client({ clientId: '' });
    const connack = (good as unknown as { connackPacket: { reasonCode: number; properties: Record<string, unknown> } }).connackPacket;
    expect(connack.reasonCode).toBe(0);
    expect(connack.properties).toMatchObject({ receiveMaximum: SERVER_RECEIVE_MAXIMUM, topicAliasMaximum: 8, maximumPacketSize: 1048576 });
    expect(connack.properties.assignedClientIdentifier).toEqual(expect.any(String));
    await expect(v5Client({ password: 'wrong' })).rejects.toMatchObject({ code: 0x86 });
    await expect(v5Client({ username: undefined, password: undefined })).rejects.toMatchObject({ code: 0x87 });
  });

  it('carries user properties and content type from v5 to v5, and into the log where a native consumer reads them as message properties', async () => {
    const subscriber = await v5Client();
    const received = collect(subscriber);
    await subscriber.subscribeAsync('props/#', { qos: 1 });
    const publisher = await v5Client();
    await publisher.publishAsync('props/room1', '{"t":21}', {
      qos: 1,
      properties: { contentType: 'application/json', payloadFormatIndicator: true, userProperties: { site: 'lyon', unit: 'celsius' } },
    });
    await waitUntil(() => received.length === 1, WAIT_MS, () => JSON.stringify(received));
    expect(received[0]!.packet.properties).toMatchObject({ contentType: 'application/json', payloadFormatIndicator: true, userProperties: { site: 'lyon', unit: 'celsius' } });

    const consumer = new PullConsumer({ server: running.broker.address });
    await consumer.start();
    try {
      const found = [];
      for (let queueId = 0; queueId < QUEUE_COUNT; queueId++) {
        found.push(...(await consumer.pull({ topic: 'props', queueId, offset: 0, maxCount: 32 })).messages);
      }
      expect(found).toHaveLength(1);
      expect(found[0]!.properties).toMatchObject({
        'mqtt.topic': 'props/room1',
        'mqtt.contentType': 'application/json',
        'mqtt.payloadFormat': '1',
        'mqtt.user.site': 'lyon',
        'mqtt.user.unit': 'celsius',
      });
    } finally {
      await consumer.shutdown();
    }
  });

  it('delivers response topic and correlation data intact, so a responder can answer a request', async () => {
    const responder = await v5Client();
    responder.on('message', (_topic, payload, packet) => {
      const { responseTopic, correlationData } = packet.properties ?? {};
      if (responseTopic) responder.publish(responseTopic, `echo ${payload}`, { qos: 1, properties: { correlationData } });
    });
    await responder.subscribeAsync('rpc/requests', { qos: 1 });
    const requester = await v5Client();
    const replies = collect(requester);
    await requester.subscribeAsync('rpc/replies/requester', { qos: 1 });
    const correlation = Buffer.from([0x00, 0xfe, 0x42, 0x10]);
    await requester.publishAsync('rpc/requests', 'ping', { qos: 1, properties: { responseTopic: 'rpc/replies/requester', correlationData: correlation } });
    await waitUntil(() => replies.length === 1, WAIT_MS, () => JSON.stringify(replies));
    expect(replies[0]!.payload).toBe('echo ping');
    expect(Buffer.from(replies[0]!.packet.properties!.correlationData!)).toEqual(correlation);
  });

  it('resolves the topic aliases a client sets, and sends aliases to a client that allows them', async () => {
    const subscriber = await v5Client({ properties: { topicAliasMaximum: 4 } });
    const onWire: Array<{ topic: string; alias?: number }> = [];
    subscriber.on('packetreceive', (packet) => {
      if (packet.cmd === 'publish') onWire.push({ topic: packet.topic, alias: packet.properties?.topicAlias });
    });
    const received = collect(subscriber);
    await subscriber.subscribeAsync('alias/#', { qos: 1 });
    const publisher = await v5Client({ autoAssignTopicAlias: true });
    for (let i = 0; i < 3; i++) await publisher.publishAsync('alias/a/rather/long/topic', `m${i}`, { qos: 1 });
    await waitUntil(() => received.length === 3, WAIT_MS, () => JSON.stringify(received));
    expect(received.map((r) => `${r.topic} ${r.payload}`)).toEqual(['alias/a/rather/long/topic m0', 'alias/a/rather/long/topic m1', 'alias/a/rather/long/topic m2']);
    expect(onWire).toEqual([
      { topic: 'alias/a/rather/long/topic', alias: 1 },
      { topic: '', alias: 1 },
      { topic: '', alias: 1 },
    ]);
  });

  it("keeps at most a client's receive maximum of QoS 1 publishes unacknowledged, and disconnects a client exceeding the server's with 0x93", async () => {
    const slow = await connectRaw('slow', { receiveMaximum: 2 });
    slow.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'window/#', qos: 1 }] });
    await waitUntil(() => slow.packets.some((packet) => packet.cmd === 'suback'), WAIT_MS, () => JSON.stringify(slow.packets));
    const publisher = await v5Client();
    for (let i = 0; i < 6; i++) await publisher.publishAsync('window/a', `m${i}`, { qos: 1 });
    for (let acked = 0; acked < 6; acked++) {
      await waitUntil(() => slow.publishes().length >= Math.min(6, acked + 2), WAIT_MS, () => `${slow.publishes().length} publishes`);
      await sleep(150);
      expect(slow.publishes().length - acked).toBeLessThanOrEqual(2);
      slow.send({ cmd: 'puback', messageId: slow.publishes()[acked]!.messageId! });
    }
    expect(slow.publishes().map((packet) => String(packet.payload))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    slow.close();

    const flooding = await connectRaw('flooding');
    // QoS 2 publishes without PUBREL stay unacknowledged: one more than the server allows.
    for (let messageId = 1; messageId <= SERVER_RECEIVE_MAXIMUM + 1; messageId++) {
      flooding.send({ cmd: 'publish', topic: 'window/flood', payload: Buffer.from('x'), qos: 2, messageId, retain: false, dup: false });
    }
    await waitUntil(() => flooding.closed, WAIT_MS, () => 'the flooding client to be disconnected');
    expect(flooding.packets.find((packet) => packet.cmd === 'disconnect')).toMatchObject({ reasonCode: 0x93 });
  });

  it('adds the subscription identifiers of every matching subscription', async () => {
    const subscriber = await v5Client();
    const received = collect(subscriber);
    await subscriber.subscribeAsync('ids/+/temp', { qos: 1, properties: { subscriptionIdentifier: 7 } });
    await subscriber.subscribeAsync('ids/#', { qos: 1, properties: { subscriptionIdentifier: 300 } });
    const publisher = await v5Client();
    await publisher.publishAsync('ids/room/temp', 'both', { qos: 1 });
    await publisher.publishAsync('ids/other', 'one', { qos: 1 });
    await waitUntil(() => received.length === 2, WAIT_MS, () => JSON.stringify(received));
    const idsOf = (payload: string) => [received.find((r) => r.payload === payload)!.packet.properties!.subscriptionIdentifier].flat().sort((a, b) => a! - b!);
    expect(idsOf('both')).toEqual([7, 300]);
    expect(idsOf('one')).toEqual([300]);
  });

  it("does not send a no-local subscription its client's own messages", async () => {
    const chatty = await v5Client();
    const received = collect(chatty);
    await chatty.subscribeAsync('nolocal/#', { qos: 1, nl: true });
    const other = await v5Client();
    await chatty.publishAsync('nolocal/mine', 'mine', { qos: 1 });
    await other.publishAsync('nolocal/theirs', 'theirs', { qos: 1 });
    await waitUntil(() => received.length >= 1, WAIT_MS, () => JSON.stringify(received));
    await sleep(300);
    expect(received.map((r) => r.payload)).toEqual(['theirs']);
  });

  it('keeps a session within its expiry interval and discards it after', async () => {
    const options: IClientOptions = { clientId: 'expiring-session', clean: false, properties: { sessionExpiryInterval: 2 } };
    const first = await v5Client(options);
    await first.subscribeAsync('expiry/#', { qos: 1 });
    first.end(true);
    await disconnected(first);
    await sleep(500);
    const within = await v5Client(options);
    expect(sessionPresent(within)).toBe(true);
    within.end(true);
    await disconnected(within);
    await sleep(3_000);
    const after = await v5Client(options);
    expect(sessionPresent(after)).toBe(false);
  });

  it('drops a message queued for an offline session once it expired, and delivers another with its remaining interval', async () => {
    const options: IClientOptions = { clientId: 'offline-reader', clean: false, properties: { sessionExpiryInterval: 300 } };
    const reader = await v5Client(options);
    await reader.subscribeAsync('expiring/#', { qos: 1 });
    reader.end(true);
    await disconnected(reader);
    const publisher = await v5Client();
    await publisher.publishAsync('expiring/short', 'short', { qos: 1, properties: { messageExpiryInterval: 1 } });
    await publisher.publishAsync('expiring/long', 'long', { qos: 1, properties: { messageExpiryInterval: 120 } });
    await sleep(2_500);
    const back = await v5Client(options);
    const received = collect(back);
    await waitUntil(() => received.length >= 1, WAIT_MS, () => JSON.stringify(received));
    await sleep(300);
    expect(received.map((r) => r.payload)).toEqual(['long']);
    const remaining = received[0]!.packet.properties!.messageExpiryInterval!;
    expect(remaining).toBeLessThanOrEqual(118);
    expect(remaining).toBeGreaterThan(100);
  });

  it('publishes a will after its delay, and not if the client reconnects within it', async () => {
    const watcher = await v5Client();
    const wills = collect(watcher);
    await watcher.subscribeAsync('lastwill/#', { qos: 1 });
    const options = (clientId: string): IClientOptions => ({
      clientId,
      clean: false,
      properties: { sessionExpiryInterval: 60 },
      will: { topic: `lastwill/${clientId}`, payload: Buffer.from('gone'), qos: 1, retain: false, properties: { willDelayInterval: 2 } },
    });
    const back = await v5Client(options('comes-back'));
    const away = await v5Client(options('stays-away'));
    back.stream.destroy();
    away.stream.destroy();
    await sleep(500);
    expect(wills).toEqual([]);
    await v5Client(options('comes-back'));
    await waitUntil(() => wills.length >= 1, WAIT_MS, () => JSON.stringify(wills));
    await sleep(2_500);
    expect(wills.map((w) => `${w.topic} ${w.payload}`)).toEqual(['lastwill/stays-away gone']);
  });

  it('lets 3.1.1 clients (mqtt.js, mosquitto_pub) and a v5 mosquitto_sub interoperate with v5 clients', async () => {
    const v3 = await v5Client({ protocolVersion: 4 });
    const atV3 = collect(v3);
    await v3.subscribeAsync('mixed/to3', { qos: 1 });
    const v5 = await v5Client();
    const atV5 = collect(v5);
    await v5.subscribeAsync('mixed/to5', { qos: 1 });
    await v5.publishAsync('mixed/to3', 'from-v5', { qos: 1, properties: { userProperties: { k: 'v' }, messageExpiryInterval: 60 } });
    await v3.publishAsync('mixed/to5', 'from-v3', { qos: 1 });
    const pub = await startMosquittoClient('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(running.mqttPort), '-u', LOGIN.username, '-P', LOGIN.password, '-q', '1', '-t', 'mixed/to5', '-m', 'from-mosquitto-v3']).finished;
    expect(pub.exitCode).toBe(0);
    await waitUntil(() => atV3.length === 1 && atV5.length === 2, WAIT_MS, () => JSON.stringify([atV3, atV5]));
    expect(atV3[0]!.payload).toBe('from-v5');
    expect(atV5.map((r) => r.payload).sort()).toEqual(['from-mosquitto-v3', 'from-v3']);

    const sub = startMosquittoClient('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(running.mqttPort), '-u', LOGIN.username, '-P', LOGIN.password, '-V', 'mqttv5', '-q', '1', '-t', 'mixed/mosq', '-F', '%t %p %P', '-d', '-C', '1']);
    await waitUntil(() => sub.output().includes('SUBACK'), WAIT_MS, () => sub.output());
    await v5.publishAsync('mixed/mosq', 'to-mosquitto', { qos: 1, properties: { userProperties: { origin: 'mqttjs' } } });
    const run = await sub.finished;
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('mixed/mosq to-mosquitto origin:mqttjs');
  });

  it('keeps the v5 properties of a message queued for an offline session across a broker SIGKILL', async () => {
    const options: IClientOptions = { clientId: 'restart-reader', clean: false, properties: { sessionExpiryInterval: 3600 } };
    const reader = await v5Client(options);
    await reader.subscribeAsync('restart/#', { qos: 1, properties: { subscriptionIdentifier: 11 } });
    reader.end(true);
    await disconnected(reader);
    const publisher = await v5Client();
    await publisher.publishAsync('restart/a', 'survives', {
      qos: 1,
      properties: { contentType: 'text/plain', userProperties: { trace: 'abc' }, correlationData: Buffer.from('corr'), messageExpiryInterval: 600 },
    });
    publisher.end(true);
    await running.broker.kill();
    await restart();
    const back = await v5Client(options);
    expect(sessionPresent(back)).toBe(true);
    const received = collect(back);
    await waitUntil(() => received.length === 1, WAIT_MS, () => JSON.stringify(received));
    const properties = received[0]!.packet.properties!;
    expect(received[0]!.payload).toBe('survives');
    expect(properties).toMatchObject({ contentType: 'text/plain', userProperties: { trace: 'abc' }, subscriptionIdentifier: 11 });
    expect(Buffer.from(properties.correlationData!).toString()).toBe('corr');
    expect(properties.messageExpiryInterval).toBeLessThanOrEqual(600);
    expect(properties.messageExpiryInterval).toBeGreaterThan(500);
  });

  it('answers a publish the broker refuses with a negative PUBACK, and keeps the connection', async () => {
    const publisher = await v5Client();
    await expect(publisher.publishAsync('$SYS/fake', 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await expect(publisher.publishAsync('$share/g/x', 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x90 });
    await expect(publisher.publishAsync('refused/then/fine', 'ok', { qos: 1 })).resolves.toBeDefined();
    expect(publisher.connected).toBe(true);
  });

  it('sends DISCONNECT 0x8B at a broker stop, and keeps session expiry and will delay deadlines across the restart', async () => {
    const persistent = (clientId: string, sessionExpiryInterval: number, extra: IClientOptions = {}): IClientOptions => ({
      clientId,
      clean: false,
      properties: { sessionExpiryInterval },
      ...extra,
    });
    const watcher = await v5Client(persistent('restart-watcher', 3600));
    await watcher.subscribeAsync('restart-will/#', { qos: 1 });
    watcher.end(true);
    const short = await v5Client(persistent('restart-short', 1));
    await short.subscribeAsync('restart-short/#', { qos: 1 });
    short.end(true);
    const long = await v5Client(persistent('restart-long', 3600));
    await long.subscribeAsync('restart-long/#', { qos: 1 });
    long.end(true);
    await Promise.all([disconnected(watcher), disconnected(short), disconnected(long)]);
    // Due after the restart, once the watcher is back (a QoS 1 message published while a session resumes may reach it twice).
    const will = { topic: 'restart-will/gone', payload: Buffer.from('gone'), qos: 1 as const, retain: false, properties: { willDelayInterval: 5 } };
    const connectedAtStop = await v5Client(persistent('restart-gone', 3600, { will }));
    const disconnects: number[] = [];
    connectedAtStop.on('disconnect', (packet) => disconnects.push(packet.reasonCode ?? 0));

    await running.broker.stop();
    await waitUntil(() => disconnects.length > 0, WAIT_MS, () => 'the DISCONNECT');
    expect(disconnects).toEqual([0x8b]);
    await sleep(1_500);
    await restart();

    expect(sessionPresent(await v5Client(persistent('restart-short', 1)))).toBe(false);
    expect(sessionPresent(await v5Client(persistent('restart-long', 3600)))).toBe(true);
    const back = await v5Client(persistent('restart-watcher', 3600));
    const wills = collect(back);
    await waitUntil(() => wills.length >= 1, WAIT_MS, () => JSON.stringify(wills));
    await sleep(300);
    expect(wills.map((w) => `${w.topic} ${w.payload}`)).toEqual(['restart-will/gone gone']);
  });

  async function restart(): Promise<void> {
    running = await startMqttBroker(dir, MQTT_OPTIONS, { mqttPort: running.mqttPort, wsPort: running.wsPort, nativePort: running.broker.port }, SECURITY);
  }

  function connectRaw(clientId: string, properties: Record<string, number> = {}): Promise<RawMqtt5Client> {
    return RawMqtt5Client.connect(running.mqttPort, clientId, { properties, login: LOGIN });
  }
});
