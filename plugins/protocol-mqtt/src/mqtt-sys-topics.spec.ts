import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime } from '@tessera/kernel';
import { memoryStoragePlugin } from '@tessera/testing';
import type { MqttProtocolOptions } from './mqtt-protocol-options';
import { protocolMqttPlugin } from './protocol-mqtt-plugin';

const WAIT_MS = 5_000;
jest.setTimeout(6 * WAIT_MS);

const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** One update of the status topics, as a subscriber received it (each begins with the uptime). */
type StatusUpdate = Record<string, string>;

describe('MQTT $SYS/broker status topics (in-process broker, mqtt.js clients)', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let clients: MqttClient[];

  async function start(options: Partial<MqttProtocolOptions>): Promise<void> {
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', defaultQueueCount: 4 },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolMqttPlugin, options: { port: 0, wsPort: null, bridgeRescanMs: 50, ...options } }],
    });
    await runtime.start();
  }

  async function client(options: IClientOptions = {}): Promise<MqttClient> {
    const connected = await connectAsync(`mqtt://127.0.0.1:${runtime.endpoint('mqtt').port}`, { reconnectPeriod: 0, connectTimeout: WAIT_MS, ...options });
    clients.push(connected);
    return connected;
  }

  async function scraped(name: string): Promise<number> {
    const { values } = await runtime.metrics.getSingleMetric(name)!.get();
    return values.reduce((total, series) => total + series.value, 0);
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-mqtt-sys-'));
    clients = [];
  });

  afterEach(async () => {
    for (const c of clients) c.end(true);
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes retained Mosquitto-style status every interval, from the metrics tallies, to $SYS subscribers and not to #', async () => {
    await start({ sysIntervalSeconds: 1 });

    // An offline persistent session: clients/total counts it, subscriptions/count its subscription.
    const persistent = await client({ clientId: 'offline-later', clean: false });
    await persistent.subscribeAsync('m/#', { qos: 1 });
    await persistent.endAsync();

    const everything = await client();
    const seenByHash: string[] = [];
    everything.on('message', (topic) => seenByHash.push(topic));
    await everything.subscribeAsync('#', { qos: 0 });

    const observer = await client();
    const updates: StatusUpdate[] = [];
    const retained: StatusUpdate = {};
    observer.on('message', (topic, payload, packet) => {
      const name = topic.slice('$SYS/broker/'.length);
      if (packet.retain) retained[name] = payload.toString();
      else if (name === 'uptime') updates.push({ [name]: payload.toString() });
      else if (updates.length > 0) updates[updates.length - 1]![name] = payload.toString();
    });
    await observer.subscribeAsync('$SYS/broker/#', { qos: 0 });
    await waitFor(() => Object.keys(retained).length === 11, 'the 11 retained status topics on subscribe');
    expect(retained['version']).toBe(`tessera version ${version}`);
    expect(retained['uptime']).toMatch(/^\d+ seconds$/);

    const publisher = await client();
    for (let i = 0; i < 3; i++) await publisher.publishAsync('m/x', `n${i}`, { qos: 1 });
    const v5 = await client({ protocolVersion: 5 });
    await expect(v5.publishAsync('$SYS/broker/version', 'forged', { qos: 1 })).rejects.toMatchObject({ code: 0x87 });
    await v5.endAsync();
    await waitFor(() => seenByHash.length === 3, 'the three publishes at the # subscriber');

    // Quiet from here: what a client sends no longer changes; what the broker sends grows by the status updates themselves.
    const quietFrom = updates.length;
    await waitFor(() => updates.length >= quietFrom + 3, 'three status updates after the traffic');
    const [previous, latest] = updates.slice(-3, -1) as [StatusUpdate, StatusUpdate];

    expect(latest['uptime']).toMatch(/^\d+ seconds$/);
    expect(Number.parseInt(latest['uptime']!, 10)).toBeGreaterThanOrEqual(Number.parseInt(previous['uptime']!, 10) + 1);
    expect(latest['clients/connected']).toBe('3');
    expect(latest['clients/total']).toBe('4');
    expect(latest['subscriptions/count']).toBe('3');
    // Packets from clients: CONNECT, SUBSCRIBE, DISCONNECT (persistent); CONNECT, SUBSCRIBE (# and observer);
    // CONNECT and 3 PUBLISH (publisher); CONNECT, PUBLISH, DISCONNECT (v5): 3 + 2 + 2 + 4 + 3.
    expect(latest['messages/received']).toBe('14');
    expect(latest['publish/messages/received']).toBe('4');
    expect(latest['messages/received']).toBe(String(await scraped('tessera_mqtt_packets_received_total')));
    expect(latest['publish/messages/received']).toBe(String(await scraped('tessera_mqtt_messages_received_total')));
    expect(latest['bytes/received']).toBe(String(await scraped('tessera_mqtt_received_bytes_total')));
    // The only traffic between two updates is the 10 status messages of the first, sent to the observer alone.
    expect(Number(latest['publish/messages/sent'])).toBe(Number(previous['publish/messages/sent']) + 10);
    expect(Number(latest['messages/sent'])).toBe(Number(previous['messages/sent']) + 10);
    expect(Number(latest['bytes/sent'])).toBeGreaterThan(Number(previous['bytes/sent']));

    expect(seenByHash).toEqual(['m/x', 'm/x', 'm/x']);
    // A client's publish to $SYS was refused: the retained version is still the broker's.
    const late = await client();
    const lateVersion = new Promise<string>((resolve) => late.on('message', (topic, payload) => topic === '$SYS/broker/version' && resolve(payload.toString())));
    await late.subscribeAsync('$SYS/broker/version');
    expect(await lateVersion).toBe(`tessera version ${version}`);
  });

  it('publishes no status with sysIntervalSeconds 0', async () => {
    await start({ sysIntervalSeconds: 0 });
    const observer = await client();
    const seen: string[] = [];
    observer.on('message', (topic) => seen.push(topic));
    await observer.subscribeAsync('$SYS/broker/#');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(seen).toEqual([]);
  });
});
