import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { generate, parser as mqttParser, type Packet } from 'mqtt-packet';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime, type SecuritySettings } from '@tessera/kernel';
import { memoryStoragePlugin, metricValue, metricValuesByLabel } from '@tessera/testing';
import type { MqttProtocolOptions } from './mqtt-protocol-options';
import { protocolMqttPlugin } from './protocol-mqtt-plugin';

const WAIT_MS = 5_000;
jest.setTimeout(4 * WAIT_MS);

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ALICE = { username: 'alice', password: 'secret' };

describe('MQTT metrics (in-process broker, real clients, scraped from the registry)', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let clients: MqttClient[];

  async function start(options: Partial<MqttProtocolOptions> = {}, security?: SecuritySettings): Promise<void> {
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', defaultQueueCount: 4 },
      security,
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolMqttPlugin, options: { port: 0, wsPort: null, bridgeRescanMs: 50, ...options } }],
    });
    await runtime.start();
  }

  function url(): string {
    return `mqtt://127.0.0.1:${runtime.endpoint('mqtt').port}`;
  }

  async function client(options: IClientOptions = {}): Promise<MqttClient> {
    const connected = await connectAsync(url(), { reconnectPeriod: 0, connectTimeout: WAIT_MS, ...options });
    clients.push(connected);
    return connected;
  }

  const value = (name: string, labels: Record<string, string> = {}) => metricValue(runtime.metrics, name, labels);
  const byLabel = (name: string, label: string) => metricValuesByLabel(runtime.metrics, name, label);

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-mqtt-metrics-'));
    clients = [];
  });

  afterEach(async () => {
    for (const c of clients) c.end(true);
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts accepted and refused CONNECTs by reason, messages by QoS both ways, refused publishes by reason, and reads clients and subscriptions at scrape', async () => {
    await start({ allowAnonymous: false, keepaliveLimit: 60 }, { users: [ALICE] });

    const subscriber = await client({ ...ALICE, clientId: 'persistent', clean: false });
    await subscriber.subscribeAsync({ 'm/#': { qos: 2 }, 'other/+': { qos: 0 } });
    const quiet = await client({ ...ALICE });
    await quiet.subscribeAsync('quiet/#', { qos: 1 });
    const delivered: number[] = [];
    subscriber.on('message', (_topic, _payload, packet) => delivered.push(packet.qos));
    const publisher = await client({ ...ALICE });
    for (const qos of [0, 0, 1, 1, 1, 2] as const) await publisher.publishAsync('m/x', `at ${qos}`, { qos });
    await waitFor(() => delivered.length === 6, 'six deliveries');
    const v5 = await client({ ...ALICE, protocolVersion: 5 });
    await expect(v5.publishAsync('$SYS/mine', 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await expect(v5.publishAsync('$share/g/x', 'x', { qos: 1 })).rejects.toMatchObject({ code: 0x90 });
    await expect(v5.publishAsync('m/text', Buffer.from([0xc3, 0x28]), { qos: 1, properties: { payloadFormatIndicator: true } })).rejects.toMatchObject({ code: 0x99 });

    await expect(client({ username: 'alice', password: 'wrong' })).rejects.toMatchObject({ code: 4 });
    await expect(client()).rejects.toMatchObject({ code: 5 });
    await expect(client({ ...ALICE, keepalive: 0 })).rejects.toMatchObject({ code: 2 });
    await expect(client({ ...ALICE, protocolVersion: 5, properties: { authenticationMethod: 'SCRAM-SHA-1' } })).rejects.toMatchObject({ code: 0x8c });
    await sendUnsupportedProtocolLevel(runtime.endpoint('mqtt').port);

    expect(await value('tessera_mqtt_connections_total')).toBe(4);
    expect(await byLabel('tessera_mqtt_connects_refused_total', 'reason')).toEqual({
      unsupported_protocol_version: 0,
      identifier_rejected: 0,
      server_unavailable: 0,
      bad_credentials: 1,
      not_authorized: 1,
      keepalive_limit: 1,
      bad_authentication_method: 1,
      protocol_error: 1,
    });
    expect(await byLabel('tessera_mqtt_messages_received_total', 'qos')).toEqual({ '0': 2, '1': 6, '2': 1 });
    expect(await byLabel('tessera_mqtt_messages_sent_total', 'qos')).toEqual({ '0': 2, '1': 3, '2': 1 });
    expect(await byLabel('tessera_mqtt_publishes_refused_total', 'reason')).toEqual({
      unspecified_error: 0,
      not_authorized: 1,
      topic_name_invalid: 1,
      quota_exceeded: 0,
      payload_format_invalid: 1,
    });
    expect(await value('tessera_mqtt_connected_clients')).toBe(4);
    expect(await value('tessera_mqtt_subscriptions')).toBe(3);

    // The clean session's subscription ends with its connection; the persistent one's stay while it is offline.
    quiet.end(true);
    subscriber.end(true);
    await waitFor(async () => (await value('tessera_mqtt_connected_clients')) === 2, 'two clients left');
    expect(await value('tessera_mqtt_subscriptions')).toBe(2);
  });

  it('counts the bytes each way exactly as they crossed the connection', async () => {
    await start();
    const raw = await RawMqttClient.connect(runtime.endpoint('mqtt').port);
    raw.send({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'raw', keepalive: 30 });
    await raw.until('connack');
    raw.send({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'b/#', qos: 1 }] });
    await raw.until('suback');
    raw.send({ cmd: 'publish', topic: 'b/1', payload: Buffer.from('hi'), qos: 1, messageId: 2, retain: false, dup: false });
    await raw.until('puback');
    const forwarded = await raw.until('publish');
    raw.send({ cmd: 'puback', messageId: forwarded.messageId! });
    raw.send({ cmd: 'disconnect' });
    await raw.closed;

    expect(raw.bytesWritten).toBeGreaterThan(0);
    expect(await value('tessera_mqtt_received_bytes_total')).toBe(raw.bytesWritten);
    expect(await value('tessera_mqtt_sent_bytes_total')).toBe(raw.bytesRead);
    expect(await value('tessera_mqtt_messages_received_total', { qos: '1' })).toBe(1);
    expect(await value('tessera_mqtt_messages_sent_total', { qos: '1' })).toBe(1);
    // CONNECT, SUBSCRIBE, PUBLISH, PUBACK, DISCONNECT in; CONNACK, SUBACK, PUBACK, PUBLISH out.
    expect(await value('tessera_mqtt_packets_received_total')).toBe(5);
    expect(await value('tessera_mqtt_packets_sent_total')).toBe(4);
    // A second scrape reads the same totals.
    expect(await value('tessera_mqtt_received_bytes_total')).toBe(raw.bytesWritten);
  });
});

/** A 3.1.1 CONNECT whose protocol level (6) no MQTT version has: mqtt-packet's parser refuses it, the broker closes the connection. */
async function sendUnsupportedProtocolLevel(port: number): Promise<void> {
  const socket = connectTcp({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const connect = generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: 'v6', keepalive: 30 });
  // Fixed header (2 bytes), then protocol name (2 + 4 bytes), then the level.
  connect[8] = 6;
  socket.write(connect);
  await closed;
}

/** A bare 3.1.1 TCP connection that counts the bytes it writes and reads. */
class RawMqttClient {
  bytesWritten = 0;
  bytesRead = 0;
  readonly closed: Promise<void>;
  private readonly packets: Packet[] = [];

  private constructor(private readonly socket: Socket) {
    const parser = mqttParser({ protocolVersion: 4 });
    parser.on('packet', (packet) => this.packets.push(packet));
    socket.on('data', (chunk: Buffer) => {
      this.bytesRead += chunk.length;
      parser.parse(chunk);
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async connect(port: number): Promise<RawMqttClient> {
    const socket = connectTcp({ host: '127.0.0.1', port });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new RawMqttClient(socket);
  }

  send(packet: Packet): void {
    const bytes = generate(packet);
    this.bytesWritten += bytes.length;
    this.socket.write(bytes);
  }

  /** Waits (bounded) for the first packet of this kind. */
  async until<Cmd extends Packet['cmd']>(cmd: Cmd): Promise<Extract<Packet, { cmd: Cmd }>> {
    let found: Packet | undefined;
    await waitFor(() => (found = this.packets.find((packet) => packet.cmd === cmd)) !== undefined, `a ${cmd}`);
    return found as Extract<Packet, { cmd: Cmd }>;
  }
}
