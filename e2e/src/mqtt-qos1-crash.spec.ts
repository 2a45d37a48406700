import { connectAsync, type MqttClient } from 'mqtt';
import { bounded, killAllBrokers } from '@tessera/testing';
import { startMqttBroker, type MqttBroker } from './support/mqtt-broker';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { expectEveryConfirmedReceived, sendThroughCrashes } from './support/send-through-crashes';

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
    const run = await sendThroughCrashes({
      messages: MESSAGES,
      inFlight: IN_FLIGHT,
      killAt: KILL_AT,
      confirmation: 'PUBACKs',
      send: (seq) => bounded(publisher.publishAsync(`load/${seq % 16}`, String(seq), { qos: 1 }), PUBLISH_TIMEOUT_MS, 'PUBACK').then(() => undefined),
      crashAndRestart: async () => {
        await running.broker.kill();
        running = await startMqttBroker(dir, {}, { mqttPort: running.mqttPort, wsPort: running.wsPort, nativePort: running.broker.port });
      },
    });
    const duplicates = await expectEveryConfirmedReceived(run, received);
    console.log(
      `MQTT QoS 1 crash: ${run.confirmed.size} acknowledged, all received, ${duplicates} duplicate deliveries, ${run.failedAttempts} publish attempts failed ` +
        `around the crashes; ${run.kills.join(', ')}; ${((Date.now() - run.startedAt) / 1000).toFixed(1)} s`,
    );
    expect(run.confirmed.size).toBe(MESSAGES);
    expect(run.kills).toHaveLength(2);
  });
});

