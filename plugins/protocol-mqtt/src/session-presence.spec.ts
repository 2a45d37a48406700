import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { generate, parser as mqttParser, type Packet } from 'mqtt-packet';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, ProtocolAdapter, type BrokerRuntime } from '@tessera/kernel';
import { memoryStoragePlugin } from '@tessera/testing';
import { protocolMqttPlugin } from './protocol-mqtt-plugin';

const WAIT_MS = 5_000;
jest.setTimeout(4 * WAIT_MS);

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function sessionPresent(client: MqttClient): boolean {
  return (client as unknown as { connackPacket: { sessionPresent: boolean } }).connackPacket.sessionPresent;
}

describe('CONNACK Session Present (in-process broker, real clients)', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let clients: MqttClient[];

  async function start(): Promise<void> {
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', defaultQueueCount: 4 },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolMqttPlugin, options: { port: 0, wsPort: null, bridgeRescanMs: 50 } }],
    });
    await runtime.start();
  }

  function port(): number {
    return runtime.endpoint('mqtt').port;
  }

  async function client(options: IClientOptions): Promise<MqttClient> {
    const connected = await connectAsync(`mqtt://127.0.0.1:${port()}`, { reconnectPeriod: 0, connectTimeout: WAIT_MS, ...options });
    clients.push(connected);
    return connected;
  }

  async function gone(target: MqttClient): Promise<void> {
    target.end(true);
    await waitFor(() => !target.connected, 'the disconnect');
    // The broker sees the connection close a moment after the client does.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** A bare persistent-session connection (Clean Start 0; a v5 one with a 300 s expiry) that acks nothing unless told. */
  async function rawSession(clientId: string, protocolVersion: 4 | 5) {
    const socket = connectTcp({ host: '127.0.0.1', port: port() });
    socket.on('error', () => undefined);
    const received: Packet[] = [];
    const parser = mqttParser({ protocolVersion });
    parser.on('packet', (packet) => received.push(packet));
    socket.on('data', (chunk) => parser.parse(chunk));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const send = (packet: Packet) => socket.write(generate(packet, { protocolVersion }));
    const until = (cmd: Packet['cmd']) => waitFor(() => received.some((packet) => packet.cmd === cmd), `a ${cmd}`);
    const properties = protocolVersion === 5 ? { sessionExpiryInterval: 300 } : undefined;
    send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion, clean: false, clientId, keepalive: 30, properties });
    await until('connack');
    expect(received[0]).toMatchObject({ cmd: 'connack', sessionPresent: false });
    return {
      send,
      until,
      /** Drops the connection without DISCONNECT, and gives the broker a moment to see it. */
      async drop(): Promise<void> {
        socket.destroy();
        await closed;
        await new Promise((resolve) => setTimeout(resolve, 50));
      },
    };
  }

  /** A persistent session left with one QoS 2 message it published awaiting its PUBREL, and nothing else. */
  async function leaveQos2AwaitingPubrel(clientId: string): Promise<void> {
    const session = await rawSession(clientId, 4);
    session.send({ cmd: 'publish', topic: 'unreleased/x', payload: Buffer.from('q2'), qos: 2, messageId: 9, retain: false, dup: false });
    await session.until('pubrec');
    await session.drop();
  }

  /** A persistent session left with one QoS 1 message delivered to it and never acknowledged, and no subscription. */
  async function leaveUnacknowledgedMessage(clientId: string, protocolVersion: 4 | 5): Promise<void> {
    const session = await rawSession(clientId, protocolVersion);
    session.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'inflight/#', qos: 1 }] });
    await session.until('suback');
    const publisher = await client({ clientId: `${clientId}-publisher` });
    await publisher.publishAsync('inflight/x', 'unacked', { qos: 1 });
    await session.until('publish');
    session.send({ cmd: 'unsubscribe', messageId: 2, unsubscriptions: ['inflight/#'] });
    await session.until('unsuback');
    await session.drop();
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-mqtt-session-'));
    clients = [];
  });

  afterEach(async () => {
    for (const c of clients) c.end(true);
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says present to a 3.1.1 session holding only a QoS 2 message awaiting PUBREL, across a restart too, and not once a clean session discarded it', async () => {
    await start();
    await leaveQos2AwaitingPubrel('q2-holder');
    const resumed = await client({ clientId: 'q2-holder', clean: false });
    expect(sessionPresent(resumed)).toBe(true);
    await gone(resumed);

    const adapter = runtime.container.getAll<ProtocolAdapter>(ProtocolAdapter).find((candidate) => candidate.protocol === 'mqtt')!;
    await adapter.stop();
    await adapter.start();
    const afterRestart = await client({ clientId: 'q2-holder', clean: false });
    expect(sessionPresent(afterRestart)).toBe(true);
    await gone(afterRestart);

    const fresh = await client({ clientId: 'q2-holder', clean: true });
    expect(sessionPresent(fresh)).toBe(false);
    await gone(fresh);
    const again = await client({ clientId: 'q2-holder', clean: false });
    expect(sessionPresent(again)).toBe(false);
    expect(sessionPresent(await client({ clientId: 'never-seen', clean: false }))).toBe(false);
  });

  it('says present to a persistent session that holds nothing, across a restart too, until a clean session or its expiry ends it', async () => {
    await start();
    const v5 = { clientId: 'empty-v5', protocolVersion: 5 as const, clean: false, properties: { sessionExpiryInterval: 1 } };
    expect(sessionPresent(await client({ clientId: 'empty-311', clean: false }))).toBe(false);
    expect(sessionPresent(await client(v5))).toBe(false);
    for (const c of clients.splice(0)) await gone(c);

    const adapter = runtime.container.getAll<ProtocolAdapter>(ProtocolAdapter).find((candidate) => candidate.protocol === 'mqtt')!;
    await adapter.stop();
    await adapter.start();
    const resumed = await client({ clientId: 'empty-311', clean: false });
    expect(sessionPresent(resumed)).toBe(true);
    await gone(resumed);
    await gone(await client({ clientId: 'empty-311', clean: true }));
    expect(sessionPresent(await client({ clientId: 'empty-311', clean: false }))).toBe(false);

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(sessionPresent(await client(v5))).toBe(false);
  });

  it('says present to a 3.1.1 session holding only an unacknowledged QoS 1 message, and redelivers it', async () => {
    await start();
    await leaveUnacknowledgedMessage('inflight-311', 4);
    const resumed = connect(`mqtt://127.0.0.1:${port()}`, { clientId: 'inflight-311', clean: false, reconnectPeriod: 0 });
    clients.push(resumed);
    const redelivered: string[] = [];
    resumed.on('message', (topic, payload) => redelivered.push(`${topic} ${payload.toString()}`));
    await waitFor(() => resumed.connected, 'the connection');
    expect(sessionPresent(resumed)).toBe(true);
    await waitFor(() => redelivered.length === 1, 'the redelivery');
    expect(redelivered).toEqual(['inflight/x unacked']);
  });

  it('says present to a v5 session (Clean Start 0) holding only an unacknowledged message, and not to a Clean Start with an expiry (which replaces it)', async () => {
    await start();
    const v5 = (cleanStart: boolean): IClientOptions => ({ clientId: 'inflight-v5', protocolVersion: 5, clean: cleanStart, properties: { sessionExpiryInterval: 300 } });
    await leaveUnacknowledgedMessage('inflight-v5', 5);
    const resumed = await client(v5(false));
    expect(sessionPresent(resumed)).toBe(true);
    await gone(resumed);
    const replaced = await client(v5(true));
    expect(sessionPresent(replaced)).toBe(false);
  });
});
