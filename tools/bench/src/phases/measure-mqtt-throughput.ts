import { build } from 'hdr-histogram-js';
import { connectAsync, type MqttClient } from 'mqtt';

export interface MqttLoad {
  qos: 0 | 1;
  payloadBytes: number;
  /** Publisher i publishes to `<topicPrefix>/<i>`; subscriber i subscribes to exactly that topic (no fan-out). */
  pairs: number;
  /** Publishes awaiting their PUBACK (QoS 1) or their socket write (QoS 0), per publisher. */
  inFlightPerPublisher: number;
  phaseMs: number;
  /** Latencies of the first messages are left out (connections and caches warming up). */
  warmupMs: number;
  /** After the publishers stop, how long subscribers may take to receive what was sent. */
  drainMs: number;
}

export interface MqttThroughputResult extends MqttLoad {
  sent: number;
  received: number;
  failedPublishes: number;
  firstError?: string;
  sentPerSec: number;
  /** Received messages over the time from the first publish to the last receipt. */
  receivedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const SEND_TIME_BYTES = 8;
const DRAIN_POLL_MS = 50;
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * One phase of the `mqtt` suite against one broker: `pairs` publishers each keep
 * `inFlightPerPublisher` publishes outstanding for `phaseMs` (QoS 1: until PUBACK; QoS 0: until
 * mqtt.js wrote the packet to the socket, so memory stays bounded), and one subscriber per
 * publisher receives them at the same QoS. Each payload starts with its send time (hrtime, ns);
 * the subscriber records send → receive in an HDR histogram. All clients share this process.
 */
export async function measureMqttThroughput(port: number, topicPrefix: string, load: MqttLoad): Promise<MqttThroughputResult> {
  const clients: MqttClient[] = [];
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  try {
    let received = 0;
    let lastReceivedNs = 0n;
    let recordFromNs = BigInt(Number.MAX_SAFE_INTEGER) * 1_000_000n;
    for (let i = 0; i < load.pairs; i++) {
      const subscriber = await connectClient(port, `${topicPrefix}-sub-${i}`);
      clients.push(subscriber);
      subscriber.on('message', (_topic, payload) => {
        const now = process.hrtime.bigint();
        received++;
        lastReceivedNs = now;
        const sentAtNs = payload.readBigInt64BE(0);
        if (sentAtNs >= recordFromNs) histogram.recordValue(Math.max(1, Number(now - sentAtNs) / 1000));
      });
      await subscriber.subscribeAsync(`${topicPrefix}/${i}`, { qos: load.qos });
    }
    const publishers: MqttClient[] = [];
    for (let i = 0; i < load.pairs; i++) publishers.push(await connectClient(port, `${topicPrefix}-pub-${i}`));
    clients.push(...publishers);

    let sent = 0;
    let failedPublishes = 0;
    let firstError: string | undefined;
    const startedAtNs = process.hrtime.bigint();
    recordFromNs = startedAtNs + BigInt(load.warmupMs) * 1_000_000n;
    const endNs = startedAtNs + BigInt(load.phaseMs) * 1_000_000n;
    const payloadBytes = Math.max(load.payloadBytes, SEND_TIME_BYTES);
    const lane = async (publisher: MqttClient, topic: string) => {
      while (process.hrtime.bigint() < endNs) {
        const payload = Buffer.alloc(payloadBytes, 'x');
        payload.writeBigInt64BE(process.hrtime.bigint(), 0);
        try {
          await publisher.publishAsync(topic, payload, { qos: load.qos });
          sent++;
        } catch (error) {
          failedPublishes++;
          firstError ??= (error as Error).message;
          return; // a failed client stops its lane rather than spinning on errors
        }
      }
    };
    await Promise.all(
      publishers.flatMap((publisher, i) => Array.from({ length: load.inFlightPerPublisher }, () => lane(publisher, `${topicPrefix}/${i}`))),
    );
    const sendSeconds = Number(process.hrtime.bigint() - startedAtNs) / 1e9;
    const drainDeadline = Date.now() + load.drainMs;
    while (received < sent && Date.now() < drainDeadline) await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    const receiveSeconds = Number(lastReceivedNs - startedAtNs) / 1e9;
    return {
      ...load,
      sent,
      received,
      failedPublishes,
      firstError,
      sentPerSec: sent / sendSeconds,
      receivedPerSec: received > 0 ? received / receiveSeconds : 0,
      p50Ms: histogram.getValueAtPercentile(50) / 1000,
      p99Ms: histogram.getValueAtPercentile(99) / 1000,
      maxMs: histogram.maxValue / 1000,
    };
  } finally {
    await Promise.allSettled(clients.map((client) => client.endAsync(true)));
    histogram.destroy();
  }
}

function connectClient(port: number, clientId: string): Promise<MqttClient> {
  return connectAsync({
    host: '127.0.0.1',
    port,
    clientId,
    protocolVersion: 4,
    clean: true,
    keepalive: 60,
    reconnectPeriod: 0,
    connectTimeout: CONNECT_TIMEOUT_MS,
  });
}
