import { connect, connectAsync, type IClientOptions, type MqttClient } from 'mqtt';
import { Producer } from '@tessera/client';
import { killAllBrokers } from '@tessera/testing';
import { startMosquittoClient } from './support/mqtt-command-line-client';
import { startMqttBroker, type MqttBroker } from './support/mqtt-broker';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';

const MESSAGES = 3_000;
const IN_FLIGHT = 64;
const WAIT_MS = 30_000;
const QUIET_MS = 500;

/** Sequence numbers a client received, with how often each came. */
class Tally {
  readonly counts = new Map<number, number>();
  total = 0;

  constructor(client: MqttClient) {
    client.on('message', (_topic, payload) => {
      const seq = Number(payload.toString());
      this.counts.set(seq, (this.counts.get(seq) ?? 0) + 1);
      this.total++;
    });
  }

  duplicates(): number[] {
    return [...this.counts].filter(([, count]) => count > 1).map(([seq]) => seq);
  }
}

/** How often each sequence number arrived over all the tallies. */
function merged(tallies: readonly Tally[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const tally of tallies) for (const [seq, count] of tally.counts) counts.set(seq, (counts.get(seq) ?? 0) + count);
  return counts;
}

const sequence = (count: number, from = 0) => Array.from({ length: count }, (_, index) => from + index);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('MQTT shared subscriptions ($share/<name>/<filter>) against a broker process', () => {
  let dir: string;
  let running: MqttBroker;
  const clients: MqttClient[] = [];
  const url = () => `mqtt://127.0.0.1:${running.mqttPort}`;

  async function mqttClient(options: IClientOptions = {}): Promise<MqttClient> {
    const client = await connectAsync(url(), { reconnectPeriod: 0, connectTimeout: WAIT_MS, ...options });
    clients.push(client);
    return client;
  }

  /** A member of `filter` with a tally in place before it connects (a resumed session's queue arrives right after the CONNACK). */
  async function member(filter: string, options: IClientOptions = {}): Promise<{ client: MqttClient; tally: Tally }> {
    const client = connect(url(), { reconnectPeriod: 0, connectTimeout: WAIT_MS, ...options });
    clients.push(client);
    const tally = new Tally(client);
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    await client.subscribeAsync(filter, { qos: 1 });
    return { client, tally };
  }

  /** Publishes the sequence numbers as QoS 1 payloads under `prefix/…`, IN_FLIGHT at a time; resolves once every PUBACK came. */
  async function publishAll(prefix: string, seqs: readonly number[], onAcked: (acked: number) => void = () => undefined): Promise<void> {
    const publisher = await mqttClient();
    let next = 0;
    let acked = 0;
    const worker = async () => {
      while (next < seqs.length) {
        const seq = seqs[next++]!;
        await publisher.publishAsync(`${prefix}/device${seq % 10}`, String(seq), { qos: 1 });
        onAcked(++acked);
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  }

  beforeAll(async () => {
    dir = makeTempDir();
    running = await startMqttBroker(dir);
  });

  afterEach(() => {
    for (const client of clients.splice(0)) client.end(true);
  });

  afterAll(async () => {
    await killAllBrokers();
    removeTempDir(dir);
  });

  it('splits 3,000 QoS 1 messages fairly over 3 members, once each; a second group and a normal subscriber get every one', async () => {
    const members = await Promise.all([1, 2, 3].map(() => member('$share/g/sensors/#')));
    const otherGroup = await Promise.all([1, 2].map(() => member('$share/h/sensors/#')));
    const plain = await member('sensors/#');

    await publishAll('sensors', sequence(MESSAGES));
    const tallies = members.map((m) => m.tally);
    const all = [...tallies, ...otherGroup.map((m) => m.tally), plain.tally];
    await waitUntil(
      () => all.every((tally) => tally.total > 0) && merged(tallies).size === MESSAGES && merged(otherGroup.map((m) => m.tally)).size === MESSAGES && plain.tally.counts.size === MESSAGES,
      WAIT_MS,
      () => `group g ${merged(tallies).size}, group h ${merged(otherGroup.map((m) => m.tally)).size}, plain ${plain.tally.counts.size} of ${MESSAGES}`,
    );
    await sleep(QUIET_MS);

    for (const group of [tallies, otherGroup.map((m) => m.tally)]) {
      const counts = merged(group);
      expect(counts.size).toBe(MESSAGES);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
    }
    expect(plain.tally.total).toBe(MESSAGES);
    // Round-robin over members that are all connected: each gets a third, give or take the order the publishes land in.
    for (const tally of tallies) expect(Math.abs(tally.total - MESSAGES / 3)).toBeLessThanOrEqual(MESSAGES * 0.02);
    for (const tally of otherGroup.map((m) => m.tally)) expect(Math.abs(tally.total - MESSAGES / 2)).toBeLessThanOrEqual(MESSAGES * 0.02);
  });

  it('when a member leaves mid-stream, the others get the remainder, and what it had not acknowledged', async () => {
    const [stays1, stays2, leaves] = await Promise.all([1, 2, 3].map(() => member('$share/churn/sensors/#')));
    let left = false;
    const leaving = leaves!.client;
    leaving.on('message', () => {
      if (!left && leaves!.tally.total >= 300) {
        left = true;
        // Gone without DISCONNECT: whatever it had not acknowledged must reach another member.
        leaving.end(true);
      }
    });

    await publishAll('sensors', sequence(MESSAGES, 10_000));
    const staying = [stays1!.tally, stays2!.tally];
    await waitUntil(
      () => merged([...staying, leaves!.tally]).size === MESSAGES,
      WAIT_MS,
      () => `${merged([...staying, leaves!.tally]).size} of ${MESSAGES} (left: ${left})`,
    );
    await sleep(QUIET_MS);

    expect(left).toBe(true);
    expect(leaves!.tally.total).toBeLessThan(MESSAGES / 3);
    for (const tally of staying) expect(tally.duplicates()).toEqual([]);
    // A message reached two members only if the leaver received it and its PUBACK never arrived.
    const twice = [...merged([...staying, leaves!.tally])].filter(([, count]) => count > 1).map(([seq]) => seq);
    expect(twice.every((seq) => leaves!.tally.counts.has(seq))).toBe(true);
    expect(merged(staying).size + leaves!.tally.counts.size - twice.length).toBe(MESSAGES);
    expect(stays1!.tally.total + stays2!.tally.total).toBeGreaterThan(MESSAGES / 2);
  });

  it('a native producer’s message (through the log bridge) reaches exactly one member', async () => {
    const members = await Promise.all([1, 2, 3].map(() => member('$share/native/factory/#')));
    // The bridge looks for the new topic every second (bridgeRescanMs).
    const producer = new Producer({ server: running.broker.address });
    await producer.start();
    try {
      for (const seq of sequence(6, 20_000)) await producer.send({ topic: 'factory', body: String(seq), properties: { 'mqtt.topic': `factory/line${seq % 2}` } });
    } finally {
      await producer.shutdown();
    }
    const tallies = members.map((m) => m.tally);
    await waitUntil(() => merged(tallies).size === 6, WAIT_MS, () => `${merged(tallies).size} of 6 native messages`);
    await sleep(QUIET_MS);
    expect([...merged(tallies).values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('refuses malformed share filters in the SUBACK (0x80), and closes a client that publishes to $share/', async () => {
    const client = await mqttClient();
    const refusal = await client
      .subscribeAsync(['$share/', '$share/g', '$share/g/', '$share/+/sensors/#', '$share/#', '$share/ok/sensors/#'], { qos: 1 })
      .catch((error: { packet: { granted: number[] } }) => error);
    expect(refusal).toMatchObject({ packet: { granted: [128, 128, 128, 128, 128, 1] } });

    const closed = new Promise<void>((resolve) => client.stream.once('close', () => resolve()));
    void client.publishAsync('$share/ok/sensors/x', 'not a topic', { qos: 1 }).catch(() => undefined);
    await closed;
  });

  it('mosquitto_sub -t "$share/m/jobs/#" is a member alongside mqtt.js', async () => {
    const sub = startMosquittoClient('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(running.mqttPort), '-V', 'mqttv311', '-q', '1', '-t', '$share/m/jobs/#', '-v', '-d', '-C', '10'], WAIT_MS);
    await waitUntil(() => sub.output().includes('SUBACK'), WAIT_MS, () => sub.output());
    const other = await member('$share/m/jobs/#');
    await publishAll('jobs', sequence(20, 30_000));
    const run = await sub.finished;
    expect(run.exitCode).toBe(0);
    const viaMosquitto = run.stdout
      .split('\n')
      .filter((line) => line.startsWith('jobs/'))
      .map((line) => Number(line.split(' ')[1]));
    expect(viaMosquitto).toHaveLength(10);
    await waitUntil(() => other.tally.total >= 10, WAIT_MS, () => `mqtt.js member got ${other.tally.total}`);
    await sleep(QUIET_MS);
    expect([...viaMosquitto, ...other.tally.counts.keys()].sort()).toEqual(sequence(20, 30_000).sort());
  });

  it('a persistent member stays a member while offline and across a broker restart: one of them gets what was published meanwhile', async () => {
    const sessions = ['keeper-1', 'keeper-2'];
    for (const clientId of sessions) {
      const { client } = await member('$share/keep/orders/#', { clientId, clean: false });
      await client.endAsync();
    }
    await running.broker.stop();
    running = await startMqttBroker(dir, {}, { mqttPort: running.mqttPort, wsPort: running.wsPort, nativePort: running.broker.port });

    await publishAll('orders', sequence(100, 40_000));
    const resumed = await Promise.all(
      sessions.map(async (clientId) => {
        const client = connect(url(), { clientId, clean: false, reconnectPeriod: 0, connectTimeout: WAIT_MS });
        clients.push(client);
        const tally = new Tally(client);
        await new Promise<void>((resolve, reject) => {
          client.once('connect', (connack) => (connack.sessionPresent ? resolve() : reject(new Error(`${clientId} lost its session`))));
          client.once('error', reject);
        });
        return tally;
      }),
    );
    await waitUntil(() => merged(resumed).size === 100, WAIT_MS, () => `${merged(resumed).size} of 100 queued messages`);
    await sleep(QUIET_MS);
    expect([...merged(resumed).values()].every((count) => count === 1)).toBe(true);
    expect(resumed.map((tally) => tally.total)).toEqual([50, 50]);
  });
});
