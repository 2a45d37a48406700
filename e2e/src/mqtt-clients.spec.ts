import { connect as connectTcp } from 'node:net';
import { connectAsync, type MqttClient } from 'mqtt';
import { Producer, PullConsumer } from '@tessera/client';
import { AmqpTestClient, freePort, killAllBrokers } from '@tessera/testing';
import { startMosquittoClient } from './support/mqtt-command-line-client';
import { startMqttBroker, type MqttBroker } from './support/mqtt-broker';
import { RawMqttConnection } from './support/raw-mqtt-connection';
import { readWholeQueue } from './support/read-whole-queue';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';

const QUEUE_COUNT = 8;
const WAIT_MS = 10_000;
/** The broker's users, defined once for every protocol front. */
const SECURITY = {
  users: [
    { username: 'device', password: 'secret' },
    { username: 'meter', password: 'meter-secret', permissions: { produce: ['meters'], consume: ['commands'] } },
  ],
};

describe('MQTT with real clients against a broker process', () => {
  let dir: string;
  let running: MqttBroker;
  const clients: MqttClient[] = [];

  async function mqttClient(options: Parameters<typeof connectAsync>[1] = {}): Promise<MqttClient> {
    const client = await connectAsync(`mqtt://127.0.0.1:${running.mqttPort}`, { reconnectPeriod: 0, connectTimeout: WAIT_MS, ...options });
    clients.push(client);
    return client;
  }

  let amqpPort: number;

  async function start(ports?: { mqttPort: number; wsPort: number; nativePort: number }): Promise<void> {
    const amqp = { name: '@tessera/protocol-amqp', options: { host: '127.0.0.1', port: amqpPort } };
    running = await startMqttBroker(dir, {}, ports, { security: SECURITY, extraPlugins: [amqp], alsoListeningOn: [amqpPort] });
  }

  beforeAll(async () => {
    dir = makeTempDir();
    amqpPort = await freePort();
    await start();
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.end(true);
  });

  afterAll(async () => {
    await killAllBrokers();
    removeTempDir(dir);
  });

  it('round-trips QoS 0, 1 and 2 between mosquitto_pub and mqtt.js, and mqtt.js and mosquitto_sub', async () => {
    const subscriber = await mqttClient();
    const received: string[] = [];
    subscriber.on('message', (topic, payload, packet) => received.push(`${topic} ${payload} q${packet.qos}`));
    await subscriber.subscribeAsync('lab/#', { qos: 2 });
    for (const qos of [0, 1, 2]) {
      const run = await startMosquittoClient('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(running.mqttPort), '-q', String(qos), '-t', `lab/q${qos}`, '-m', `m${qos}`]).finished;
      expect(run.exitCode).toBe(0);
    }
    await waitUntil(() => received.length >= 3, WAIT_MS, () => `received ${JSON.stringify(received)}`);
    expect(received.sort()).toEqual(['lab/q0 m0 q0', 'lab/q1 m1 q1', 'lab/q2 m2 q2']);

    const sub = startMosquittoClient('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(running.mqttPort), '-q', '2', '-t', 'out/#', '-v', '-d', '-C', '3']);
    await waitUntil(() => sub.output().includes('SUBACK'), WAIT_MS, () => sub.output());
    const publisher = await mqttClient();
    for (const qos of [0, 1, 2] as const) await publisher.publishAsync(`out/q${qos}`, `n${qos}`, { qos });
    const run = await sub.finished;
    expect(run.exitCode).toBe(0);
    for (const qos of [0, 1, 2]) expect(run.stdout).toContain(`out/q${qos} n${qos}`);
  });

  it('stores a QoS 2 message once when its publisher sends it again after a reconnect, before PUBREL (MQTT-4.3.3)', async () => {
    const connectPacket = { cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clientId: 'qos2-resender', clean: false, keepalive: 60 } as const;
    const publish = { cmd: 'publish', topic: 'twice/q2', payload: Buffer.from('exactly-once'), qos: 2, messageId: 7, retain: false } as const;
    const first = await RawMqttConnection.open(running.mqttPort);
    first.send(connectPacket);
    expect(await first.next(WAIT_MS)).toMatchObject({ cmd: 'connack', returnCode: 0 });
    first.send({ ...publish, dup: false });
    expect(await first.next(WAIT_MS)).toMatchObject({ cmd: 'pubrec', messageId: 7 });
    // The PUBREC is lost with the connection: the client sends the PUBLISH again, DUP set.
    await first.drop();
    const second = await RawMqttConnection.open(running.mqttPort);
    second.send(connectPacket);
    expect(await second.next(WAIT_MS)).toMatchObject({ cmd: 'connack', returnCode: 0 });
    second.send({ ...publish, dup: true });
    expect(await second.next(WAIT_MS)).toMatchObject({ cmd: 'pubrec', messageId: 7 });
    second.send({ cmd: 'pubrel', messageId: 7 });
    expect(await second.next(WAIT_MS)).toMatchObject({ cmd: 'pubcomp', messageId: 7 });
    await second.drop();

    const consumer = new PullConsumer({ server: running.broker.address });
    await consumer.start();
    try {
      const stored = (await Promise.all(Array.from({ length: QUEUE_COUNT }, (_, queueId) => readWholeQueue(consumer, 'twice', queueId)))).flat();
      expect(stored.map((message) => Buffer.from(message.body).toString())).toEqual(['exactly-once']);
    } finally {
      await consumer.shutdown();
    }
  });

  it('mosquitto_pub -t sensors/room1/temp reaches a native consumer of topic sensors, payload and MQTT topic intact', async () => {
    const run = await startMosquittoClient('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(running.mqttPort), '-q', '1', '-t', 'sensors/room1/temp', '-m', '21.5']).finished;
    expect(run.exitCode).toBe(0);
    const consumer = new PullConsumer({ server: running.broker.address });
    await consumer.start();
    try {
      const found = [];
      for (let queueId = 0; queueId < QUEUE_COUNT; queueId++) {
        const result = await consumer.pull({ topic: 'sensors', queueId, offset: 0, maxCount: 32 });
        found.push(...result.messages);
      }
      expect(found).toHaveLength(1);
      expect(Buffer.from(found[0]!.body).toString()).toBe('21.5');
      expect(found[0]!.properties).toMatchObject({ 'mqtt.topic': 'sensors/room1/temp', 'mqtt.qos': '1' });
    } finally {
      await consumer.shutdown();
    }
  });

  it('a native producer reaches mosquitto_sub -t sensors/#, under the right MQTT topic', async () => {
    const sub = startMosquittoClient('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(running.mqttPort), '-q', '1', '-t', 'sensors/#', '-v', '-d', '-C', '2']);
    await waitUntil(() => sub.output().includes('SUBACK'), WAIT_MS, () => sub.output());
    const producer = new Producer({ server: running.broker.address });
    await producer.start();
    try {
      await producer.send({ topic: 'sensors', body: 'from-native', properties: { 'mqtt.topic': 'sensors/room2/hum' } });
      await producer.send({ topic: 'sensors', body: 'plain' });
    } finally {
      await producer.shutdown();
    }
    const run = await sub.finished;
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain('sensors/room2/hum from-native');
    expect(run.stdout).toMatch(/^sensors plain$/m);
  });

  it('matches + and # as the spec says, for mosquitto_sub and mqtt.js alike', async () => {
    const single = startMosquittoClient('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(running.mqttPort), '-q', '1', '-t', 'home/+/temp', '-v', '-d', '-W', '2']);
    await waitUntil(() => single.output().includes('SUBACK'), WAIT_MS, () => single.output());
    const multi = await mqttClient();
    const multiReceived: string[] = [];
    multi.on('message', (topic) => multiReceived.push(topic));
    await multi.subscribeAsync('home/#', { qos: 1 });
    const publisher = await mqttClient();
    const topics = ['home', 'home/kitchen/temp', 'home/kitchen/humidity', 'home/kitchen/oven/temp', 'home//temp', 'homes/kitchen/temp'];
    for (const topic of topics) await publisher.publishAsync(topic, topic, { qos: 1 });
    await waitUntil(() => multiReceived.length >= 5, WAIT_MS, () => JSON.stringify(multiReceived));
    // '#' also matches its parent level ('home'); '+' matches exactly one level, an empty one included.
    expect(multiReceived.sort()).toEqual(['home', 'home//temp', 'home/kitchen/humidity', 'home/kitchen/oven/temp', 'home/kitchen/temp']);
    const run = await single.finished;
    const singleReceived = run.stdout.split('\n').filter((line) => line.startsWith('home')).map((line) => line.split(' ')[0]).sort();
    expect(singleReceived).toEqual(['home//temp', 'home/kitchen/temp']);
  });

  it('publishes a will when its client disconnects uncleanly, and none after a clean disconnect', async () => {
    const watcher = await mqttClient();
    const wills: string[] = [];
    watcher.on('message', (topic, payload) => wills.push(`${topic} ${payload}`));
    await watcher.subscribeAsync('status/#', { qos: 1 });
    const will = (clientId: string) => ({ topic: `status/${clientId}`, payload: Buffer.from('offline'), qos: 1 as const, retain: false });
    const leaving = await mqttClient({ clientId: 'leaves-cleanly', will: will('leaves-cleanly') });
    await leaving.endAsync();
    const crashing = await mqttClient({ clientId: 'crashes', will: will('crashes') });
    crashing.stream.destroy();
    await waitUntil(() => wills.length >= 1, WAIT_MS, () => JSON.stringify(wills));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(wills).toEqual(['status/crashes offline']);
  });

  it('refuses a bad login with return code 4', async () => {
    const run = await startMosquittoClient('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(running.mqttPort), '-u', 'device', '-P', 'wrong', '-t', 'x', '-C', '1']).finished;
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toMatch(/bad user name or password/i);
    await expect(mqttClient({ username: 'device', password: 'wrong' })).rejects.toMatchObject({ code: 4 });
    const good = await mqttClient({ username: 'device', password: 'secret' });
    expect(good.connected).toBe(true);
  });

  it("logs a user of the config's security section in over MQTT and AMQP alike, and refuses a wrong password on both", async () => {
    const mqtt = await mqttClient({ username: 'device', password: 'secret' });
    expect(mqtt.connected).toBe(true);
    const amqp = await AmqpTestClient.connect({ port: amqpPort, username: 'device', password: 'secret', timeoutMs: WAIT_MS });
    await amqp.close();
    await expect(mqttClient({ username: 'device', password: 'nope' })).rejects.toMatchObject({ code: 4 });
    await expect(AmqpTestClient.connect({ port: amqpPort, username: 'device', password: 'nope', timeoutMs: WAIT_MS })).rejects.toThrow();
  });

  it("applies a user's produce and consume permissions to the Tessera topic of an MQTT topic", async () => {
    const meter = await mqttClient({ username: 'meter', password: 'meter-secret' });
    const refusal = await meter.subscribeAsync(['commands/m1', 'meters/#', '#'], { qos: 1 }).catch((error: { packet: { granted: number[] } }) => error);
    expect(refusal).toMatchObject({ packet: { granted: [1, 128, 128] } });
    await meter.publishAsync('meters/m1', '42', { qos: 1 });
    // MQTT 3.1.1 has no negative PUBACK: a refused publish closes the connection.
    const closed = new Promise<void>((resolve) => meter.stream.once('close', () => resolve()));
    void meter.publishAsync('commands/m1', 'refused', { qos: 1 }).catch(() => undefined);
    await closed;
  });

  it('closes a connection that sends garbage and keeps serving the others', async () => {
    const bystander = await mqttClient();
    const socket = connectTcp({ host: '127.0.0.1', port: running.mqttPort });
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x13, 0x37]));
    await closed;
    await bystander.publishAsync('still/alive', 'yes', { qos: 1 });
    expect(bystander.connected).toBe(true);
  });

  it('closes a connection that announces an oversize packet or speaks an unknown protocol, and keeps serving the others', async () => {
    const bystander = await mqttClient();
    const rawExchange = async (bytes: Buffer): Promise<Buffer> => {
      const socket = connectTcp({ host: '127.0.0.1', port: running.mqttPort });
      socket.on('error', () => undefined);
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.write(bytes);
      await closed;
      return Buffer.concat(chunks);
    };
    const connect = (protocol: string, level: number) => {
      const name = Buffer.from(protocol);
      const clientId = Buffer.from('raw');
      // MQTT 5 adds a properties length (0 here) after the keep-alive.
      const properties = level === 5 ? [0] : [];
      const variable = Buffer.concat([Buffer.from([0, name.length]), name, Buffer.from([level, 0x02, 0, 30, ...properties, 0, clientId.length]), clientId]);
      return Buffer.concat([Buffer.from([0x10, variable.length]), variable]);
    };
    // A PUBLISH whose fixed header announces 2 MiB (the default maxPacketSize is 1 MiB): the connection
    // is closed as soon as that header arrives (the CONNACK of the same write may or may not get out).
    const oversize = Buffer.concat([connect('MQTT', 4), Buffer.from([0x30, 0x80, 0x80, 0x80, 0x01])]);
    const afterOversize = await rawExchange(oversize);
    expect(afterOversize.length === 0 || afterOversize.equals(Buffer.from([0x20, 0x02, 0x00, 0x00]))).toBe(true);
    // An unknown protocol name: no session, connection closed.
    const unknownProtocol = await rawExchange(connect('MQTX', 4));
    expect(unknownProtocol.length === 0 || unknownProtocol[0] === 0x20).toBe(true);
    // An unknown protocol level (MQTT 5 is level 5, see mqtt5.spec.ts): no CONNACK, connection closed.
    const unknownLevel = await rawExchange(connect('MQTT', 6));
    expect(unknownLevel.length).toBe(0);
    await bystander.publishAsync('still/alive', 'yes', { qos: 1 });
    expect(bystander.connected).toBe(true);
  });

  it('keeps retained messages across a broker restart', async () => {
    const publisher = await mqttClient();
    await publisher.publishAsync('status/door', 'open', { qos: 1, retain: true });
    publisher.end(true);
    const { mqttPort, wsPort } = running;
    const nativePort = running.broker.port;
    await running.broker.stop();
    await start({ mqttPort, wsPort, nativePort });
    const sub = startMosquittoClient('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(running.mqttPort), '-t', 'status/#', '-v', '-C', '1', '-W', '3']);
    const run = await sub.finished;
    expect(run.stdout).toContain('status/door open');
  });
});
