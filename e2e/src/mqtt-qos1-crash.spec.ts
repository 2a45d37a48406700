import { connectAsync, type MqttClient } from 'mqtt';
import { killAllBrokers } from '@tessera/testing';
import { startMqttBroker, type MqttBroker } from './support/mqtt-broker';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';

const MESSAGES = 10_000;
const IN_FLIGHT = 32;
const KILL_AT = [3_000, 6_500];
const PUBLISH_TIMEOUT_MS = 5_000;

describe('MQTT QoS 1 across broker crashes', () => {
  let dir: string;
  let running: MqttBroker;
  const clients: MqttClient[] = [];

  beforeAll(() => {
    dir = makeTempDir();
  });

  afterAll(async () => {
    for (const client of clients) client.end(true);
    await killAllBrokers();
    removeTempDir(dir);
  });

  it('delivers to a persistent-session subscriber every message whose PUBACK the publisher got, through two SIGKILLs', async () => {
    running = await startMqttBroker(dir);
    const url = () => `mqtt://127.0.0.1:${running.mqttPort}`;
    const subscriber = await connectAsync(url(), { clientId: 'crash-subscriber', clean: false, reconnectPeriod: 100, connectTimeout: 10_000 });
    clients.push(subscriber);
    await subscriber.subscribeAsync('load/#', { qos: 1 });
    const received = new Map<number, number>();
    subscriber.on('message', (_topic, payload) => {
      const seq = Number(payload.toString());
      received.set(seq, (received.get(seq) ?? 0) + 1);
    });

    const publisher = await connectAsync(url(), { clientId: 'crash-publisher', clean: true, reconnectPeriod: 100, connectTimeout: 10_000 });
    clients.push(publisher);
    const acked = new Set<number>();
    let failedAttempts = 0;
    let next = 0;
    const kills: string[] = [];
    const startedAt = Date.now();

    // Kills happen between publishes while up to IN_FLIGHT are outstanding: some never get a PUBACK.
    const crashWhenDue = async () => {
      while (kills.length < KILL_AT.length) {
        if (acked.size >= KILL_AT[kills.length]!) {
          await running.broker.kill();
          kills.push(`SIGKILL after ${acked.size} PUBACKs`);
          running = await startMqttBroker(dir, {}, { mqttPort: running.mqttPort, wsPort: running.wsPort, nativePort: running.broker.port });
        }
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const publishAll = async () => {
      const worker = async () => {
        while (next < MESSAGES) {
          const seq = next++;
          for (let attempt = 0; !acked.has(seq); attempt++) {
            if (attempt > 200) throw new Error(`message ${seq} never got a PUBACK`);
            try {
              await withTimeout(publisher.publishAsync(`load/${seq % 16}`, String(seq), { qos: 1 }), PUBLISH_TIMEOUT_MS);
              acked.add(seq);
            } catch {
              failedAttempts++;
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          }
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    };
    await Promise.all([publishAll(), crashWhenDue()]);

    await waitUntil(
      () => [...acked].every((seq) => received.has(seq)),
      60_000,
      () => `${[...acked].filter((seq) => !received.has(seq)).length} acknowledged messages not received; ${kills.join(', ')}`,
      200,
    );
    const duplicates = [...received.values()].reduce((sum, count) => sum + count - 1, 0);
    console.log(
      `MQTT QoS 1 crash: ${acked.size} acknowledged, all received, ${duplicates} duplicate deliveries, ${failedAttempts} publish attempts failed ` +
        `around the crashes; ${kills.join(', ')}; ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    );
    expect(acked.size).toBe(MESSAGES);
    expect(kills).toHaveLength(2);
  });
});

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no PUBACK within ${ms} ms`)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
