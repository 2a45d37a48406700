import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime } from '@tessera/kernel';
import { memoryStoragePlugin } from '@tessera/testing';
import type { MqttProtocolOptions } from '../mqtt-protocol-options';
import { protocolMqttPlugin } from '../protocol-mqtt-plugin';

const WAIT_MS = 5_000;

async function waitFor(condition: () => boolean, what: () => string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Payloads a client received. */
function received(client: MqttClient): string[] {
  const payloads: string[] = [];
  client.on('message', (_topic, payload) => payloads.push(payload.toString()));
  return payloads;
}

describe('shared subscriptions ($share/<name>/<filter>)', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let clients: MqttClient[];

  async function start(options: Partial<MqttProtocolOptions> = {}): Promise<void> {
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

  /** Connects with a message listener in place before the CONNACK, so nothing a session had queued is missed. */
  async function listeningClient(options: IClientOptions): Promise<{ client: MqttClient; payloads: string[] }> {
    const listening = connect(`mqtt://127.0.0.1:${runtime.endpoint('mqtt').port}`, { reconnectPeriod: 0, connectTimeout: WAIT_MS, ...options });
    clients.push(listening);
    const payloads = received(listening);
    await new Promise<void>((resolve, reject) => {
      listening.once('connect', () => resolve());
      listening.once('error', reject);
    });
    return { client: listening, payloads };
  }

  async function publish(count: number, prefix = 'm', qos: 0 | 1 = 1): Promise<string[]> {
    const publisher = await client();
    const payloads = Array.from({ length: count }, (_, index) => `${prefix}${index}`);
    await Promise.all(payloads.map((payload, index) => publisher.publishAsync(`sensors/room${index % 5}`, payload, { qos })));
    return payloads;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-mqtt-share-'));
    clients = [];
  });

  afterEach(async () => {
    for (const c of clients) c.end(true);
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives each message to exactly one member, round-robin, at the member’s QoS; other groups and normal subscribers get every one', async () => {
    await start();
    const members = await Promise.all([client(), client(), client()]);
    const memberPayloads = members.map(received);
    const qos: Array<0 | 1> = [1, 1, 0];
    const granted = await Promise.all(members.map((member, index) => member.subscribeAsync('$share/g/sensors/#', { qos: qos[index]! })));
    expect(granted.map((grants) => grants[0]!.qos)).toEqual([1, 1, 0]);
    const otherGroup = await client();
    const otherPayloads = received(otherGroup);
    await otherGroup.subscribeAsync('$share/h/sensors/#', { qos: 1 });
    const plain = await client();
    const plainPayloads = received(plain);
    await plain.subscribeAsync('sensors/#', { qos: 1 });
    const qosSeen = new Set<number>();
    members[2]!.on('message', (_topic, _payload, packet) => qosSeen.add(packet.qos));

    const sent = await publish(300);
    const total = () => memberPayloads.reduce((sum, payloads) => sum + payloads.length, 0);
    await waitFor(() => total() >= 300 && otherPayloads.length >= 300 && plainPayloads.length >= 300, () => `300 each (members ${total()}, other ${otherPayloads.length}, plain ${plainPayloads.length})`);
    await sleep(100);
    expect(memberPayloads.flat().sort()).toEqual([...sent].sort());
    expect(memberPayloads.map((payloads) => payloads.length)).toEqual([100, 100, 100]);
    expect([...qosSeen]).toEqual([0]);
    expect([...otherPayloads].sort()).toEqual([...sent].sort());
    expect([...plainPayloads].sort()).toEqual([...sent].sort());
  });

  it('refuses malformed share filters in the SUBACK and a PUBLISH to a $share/ topic', async () => {
    await start({ acl: [{ publish: ['#'], subscribe: ['sensors/#'] }] });
    const subscriber = await client();
    const refusal = await subscriber
      .subscribeAsync(['$share/', '$share/g', '$share/g/', '$share/+/sensors/#', '$share/g/sensors/#', '$share/g/other/#'], { qos: 1 })
      .catch((error: { packet: { granted: number[] } }) => error);
    // The ACL applies to the inner filter.
    expect(refusal).toMatchObject({ packet: { granted: [128, 128, 128, 128, 1, 128] } });
    const publisher = await client();
    const closed = new Promise<void>((resolve) => publisher.stream.once('close', () => resolve()));
    void publisher.publishAsync('$share/g/sensors/x', 'no', { qos: 1 }).catch(() => undefined);
    await closed;
  });

  it('sends no retained message on a shared subscribe', async () => {
    await start();
    const publisher = await client();
    await publisher.publishAsync('sensors/door', 'open', { qos: 1, retain: true });
    const member = await client();
    const payloads = received(member);
    await member.subscribeAsync('$share/g/sensors/#', { qos: 1 });
    await publisher.publishAsync('sensors/door', 'closed', { qos: 1 });
    await waitFor(() => payloads.length >= 1, () => 'the live message');
    await sleep(100);
    expect(payloads).toEqual(['closed']);
  });

  it('reaches a member with a message another protocol produced, once', async () => {
    await start();
    const members = await Promise.all([client(), client()]);
    const payloads = members.map(received);
    for (const member of members) await member.subscribeAsync('$share/g/factory/#', { qos: 1 });
    await runtime.broker.produce([{ topic: 'factory', body: Buffer.from('native'), properties: { 'mqtt.topic': 'factory/line1' } }], { protocol: 'native' });
    await waitFor(() => payloads.flat().length >= 1, () => 'the native message');
    await sleep(200);
    expect(payloads.flat()).toEqual(['native']);
  });

  it('queues for one offline persistent member when no member is connected, and forgets an unsubscribed one', async () => {
    await start();
    const sessions = ['p1', 'p2'];
    for (const clientId of sessions) {
      const member = await client({ clientId, clean: false });
      await member.subscribeAsync('$share/g/sensors/#', { qos: 1 });
      await member.endAsync();
    }
    const sent = await publish(10);
    const [first, second] = await Promise.all(sessions.map((clientId) => listeningClient({ clientId, clean: false })));
    const back = [first!.payloads, second!.payloads];
    await waitFor(() => back.flat().length >= 10, () => `10 queued messages (got ${back.flat().length})`);
    await sleep(100);
    expect(back.flat().sort()).toEqual([...sent].sort());
    expect(back.map((payloads) => payloads.length)).toEqual([5, 5]);

    await first!.client.unsubscribeAsync('$share/g/sensors/#');
    await second!.client.endAsync();
    const later = await publish(4, 'late');
    const secondBack = await listeningClient({ clientId: 'p2', clean: false });
    await waitFor(() => secondBack.payloads.length >= 4, () => `the 4 later messages (got ${secondBack.payloads.length})`);
    await sleep(100);
    expect(secondBack.payloads.sort()).toEqual([...later].sort());
    expect(first!.payloads).toHaveLength(5);
  });

  it('a connected persistent member gets its share once, and nothing again when its session resumes', async () => {
    await start();
    const persistent = await listeningClient({ clientId: 'keeper', clean: false });
    await persistent.client.subscribeAsync('$share/g/sensors/#', { qos: 1 });
    await persistent.client.subscribeAsync('sensors/room0', { qos: 1 });
    const clean = await listeningClient({});
    await clean.client.subscribeAsync('$share/g/sensors/#', { qos: 1 });
    const sent = await publish(20);
    // room0 also matches keeper's normal subscription: that copy comes on top of the shared one.
    const viaRoom0 = sent.filter((_, index) => index % 5 === 0);
    await waitFor(() => persistent.payloads.length + clean.payloads.length >= 20 + viaRoom0.length, () => 'every copy');
    await sleep(100);
    expect([...persistent.payloads, ...clean.payloads].sort()).toEqual([...sent, ...viaRoom0].sort());
    expect(clean.payloads).toHaveLength(10);
    await persistent.client.endAsync();
    const resumed = await listeningClient({ clientId: 'keeper', clean: false });
    await sleep(300);
    expect(resumed.payloads).toEqual([]);
  });

  it('delivers QoS 2 to clean and persistent members alike, once', async () => {
    await start();
    const persistent = await listeningClient({ clientId: 'q2-keeper', clean: false });
    const clean = await listeningClient({});
    for (const member of [persistent, clean]) await member.client.subscribeAsync('$share/g/sensors/#', { qos: 2 });
    const publisher = await client();
    const sent = Array.from({ length: 10 }, (_, index) => `q2-${index}`);
    for (const payload of sent) await publisher.publishAsync('sensors/x', payload, { qos: 2 });
    await waitFor(() => persistent.payloads.length + clean.payloads.length >= 10, () => 'the 10 messages');
    await sleep(100);
    expect([...persistent.payloads, ...clean.payloads].sort()).toEqual([...sent].sort());
    await persistent.client.endAsync();
    const resumed = await listeningClient({ clientId: 'q2-keeper', clean: false });
    await sleep(300);
    expect(resumed.payloads).toEqual([]);
  });

  it('gives what a clean member had not acknowledged to another member when it disconnects', async () => {
    await start();
    const stalled = await client();
    let stalledGot = 0;
    // mqtt.js sends the PUBACK once handleMessage calls back: this member never does.
    stalled.handleMessage = (_packet, _callback) => {
      stalledGot++;
    };
    await stalled.subscribeAsync('$share/g/sensors/#', { qos: 1 });
    const steady = await client();
    const steadyPayloads = received(steady);
    await steady.subscribeAsync('$share/g/sensors/#', { qos: 1 });
    const sent = await publish(20);
    // mqtt.js reads no further packet while one waits in handleMessage: the other 9 sit unread in its socket.
    await waitFor(() => stalledGot >= 1 && steadyPayloads.length >= 10, () => `the first (stalled ${stalledGot}, steady ${steadyPayloads.length})`);
    stalled.end(true);
    await waitFor(() => steadyPayloads.length >= 20, () => `all 20 at the steady member (got ${steadyPayloads.length})`);
    expect(steadyPayloads.sort()).toEqual([...sent].sort());
  });
});
