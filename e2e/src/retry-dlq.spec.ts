import { join } from 'node:path';
import { Admin, Producer, PullConsumer, PushConsumer, TopicNotFoundError, type ReceivedMessage } from '@tessera/client';
import { SystemProperties } from '@tessera/kernel';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { runTessera } from './support/run-tessera';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';
import { writeDistributionConfig } from './support/write-distribution-config';

/** One topic per test, so one test's group never sees the other's messages. */
const RETRIED_TOPIC = 'retried-orders';
const DEAD_TOPIC = 'dead-orders';
const BACKOFF_MS = [1000, 2000, 3000];
const MAX_RECONSUME_TIMES = 3;
/** How late a retry may come after its backoff: the delay plugin's lateness plus the round trips. */
const LATENESS_BOUND_MS = 1500;

interface Delivery {
  at: number;
  message: ReceivedMessage;
}

describe('retry topics with backoff and dead-letter queues', () => {
  let dir: string;
  let broker: BrokerProcess;
  const clients: Array<{ shutdown(): Promise<void> }> = [];

  beforeAll(async () => {
    dir = makeTempDir();
    const configFile = writeDistributionConfig(dir, 'retry', {
      extraPlugins: [
        { name: '@tessera/feature-delay', options: { levels: ['1s', '2s', '3s'] } },
        { name: '@tessera/feature-retry', options: { maxReconsumeTimes: MAX_RECONSUME_TIMES, backoff: BACKOFF_MS.map((ms) => `${ms / 1000}s`) } },
      ],
    });
    broker = await BrokerProcess.start({ dataDir: join(dir, 'data'), cwd: dir, configFile });
    const admin = await started(new Admin({ server: broker.address }));
    for (const name of [RETRIED_TOPIC, DEAD_TOPIC]) await admin.createTopic({ name, writeQueueCount: 2, readQueueCount: 2 });
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((client) => client.shutdown()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  async function started<Client extends { start(): Promise<void>; shutdown(): Promise<void> }>(client: Client): Promise<Client> {
    clients.push(client);
    await client.start();
    return client;
  }

  /** A member of `group` on `topic` whose listener records every delivery and answers with `verdict`. */
  function consumer(
    group: string,
    topic: string,
    deliveries: Delivery[], verdict: (message: ReceivedMessage) => 'SUCCESS' | 'RECONSUME_LATER'): Promise<PushConsumer> {
    return started(
      new PushConsumer({
        server: broker.address,
        group,
        topic,
        consumeFrom: 'earliest',
        heartbeatIntervalMs: 500,
        autoCommitIntervalMs: 200,
        longPollMs: 2000,
        listener: (messages) => {
          for (const message of messages) deliveries.push({ at: Date.now(), message });
          return verdict(messages[0]!);
        },
      }),
    );
  }

  async function deadLetters(pull: PullConsumer, group: string): Promise<ReceivedMessage[]> {
    try {
      return (await pull.pull({ topic: `%DLQ%${group}`, queueId: 0, offset: 0, maxCount: 32 })).messages;
    } catch (error) {
      if (error instanceof TopicNotFoundError) return [];
      throw error;
    }
  }

  it('redelivers a message its listener fails three times a fourth time, after each configured backoff', async () => {
    const deliveries: Delivery[] = [];
    await consumer('flaky', RETRIED_TOPIC, deliveries, (message) => (message.reconsumeTimes < 3 ? 'RECONSUME_LATER' : 'SUCCESS'));
    const producer = await started(new Producer({ server: broker.address }));
    const sent = await producer.send({ topic: RETRIED_TOPIC, body: 'flaky-1', keys: ['flaky-key'], properties: { origin: 'e2e' } });

    await waitUntil(() => deliveries.length >= 4, 30_000, () => `${deliveries.length} deliveries`);
    // Nothing more may come: the fourth delivery succeeded.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    expect(deliveries.map(({ message }) => [message.topic, message.body.toString(), message.reconsumeTimes])).toEqual([
      [RETRIED_TOPIC, 'flaky-1', 0],
      [RETRIED_TOPIC, 'flaky-1', 1],
      [RETRIED_TOPIC, 'flaky-1', 2],
      [RETRIED_TOPIC, 'flaky-1', 3],
    ]);
    expect(deliveries[0]!.message.msgId).toBe(sent.msgId);
    for (const { message } of deliveries.slice(1)) {
      expect(message.keys).toContain('flaky-key');
      expect(message.properties).toMatchObject({ origin: 'e2e', [SystemProperties.ORIGIN_MSG_ID]: sent.msgId, [SystemProperties.REAL_TOPIC]: RETRIED_TOPIC });
    }
    const gaps = deliveries.slice(1).map((delivery, i) => delivery.at - deliveries[i]!.at);
    console.log(`retry gaps: ${gaps.join(' ms, ')} ms for backoffs of ${BACKOFF_MS.join(' ms, ')} ms`);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(BACKOFF_MS[i]!);
      expect(gap).toBeLessThan(BACKOFF_MS[i]! + LATENESS_BOUND_MS);
    });
    const pull = await started(new PullConsumer({ server: broker.address }));
    expect(await deadLetters(pull, 'flaky')).toEqual([]);
  });

  it('moves a message that always fails to the DLQ after maxReconsumeTimes; dlq list shows it and dlq resend brings it back', async () => {
    const failing: Delivery[] = [];
    const doomed = await consumer('doomed', DEAD_TOPIC, failing, () => {
      throw new Error('this listener always fails');
    });
    const producer = await started(new Producer({ server: broker.address }));
    const sent = await producer.send({ topic: DEAD_TOPIC, body: 'doomed-1', tag: 'urgent', keys: ['doomed-key'], properties: { origin: 'e2e' } });
    const pull = await started(new PullConsumer({ server: broker.address }));

    await waitUntil(async () => (await deadLetters(pull, 'doomed')).length > 0, 30_000, () => `no dead letter after ${failing.length} deliveries`);
    const [deadLetter, ...more] = await deadLetters(pull, 'doomed');
    expect(more).toEqual([]);
    expect(failing.map(({ message }) => message.reconsumeTimes)).toEqual([0, 1, 2, 3]);
    expect(deadLetter).toMatchObject({ body: Buffer.from('doomed-1'), tag: 'urgent' });
    expect(deadLetter!.keys).toContain('doomed-key');
    expect(deadLetter!.properties).toMatchObject({
      origin: 'e2e',
      [SystemProperties.REAL_TOPIC]: DEAD_TOPIC,
      [SystemProperties.ORIGIN_MSG_ID]: sent.msgId,
      [SystemProperties.FAILURE_COUNT]: String(MAX_RECONSUME_TIMES + 1),
      [SystemProperties.FAILURE_REASON]: 'the listener threw: this listener always fails',
    });
    expect(broker.output).toContain('moved to the dead-letter queue');

    const list = await runTessera(['dlq', 'list', '--group', 'doomed', '--server', broker.address], { cwd: dir });
    expect(list).toMatchObject({ exitCode: 0, stderr: '' });
    expect(list.stdout).toContain(`${deadLetter!.msgId}\ttopic=${DEAD_TOPIC}\torigin=${sent.msgId}\tfailures=4\treason="the listener threw: this listener always fails"`);

    await doomed.shutdown();
    const healthy: Delivery[] = [];
    await consumer('doomed', DEAD_TOPIC, healthy, () => 'SUCCESS');
    const resend = await runTessera(['dlq', 'resend', '--group', 'doomed', '--id', deadLetter!.msgId, '--server', broker.address], { cwd: dir });
    expect(resend.exitCode).toBe(0);
    const resentId = new RegExp(`^resent \\S+ to ${DEAD_TOPIC} as (\\S+)$`, 'm').exec(resend.stdout)?.[1];
    expect(resentId).toBeDefined();

    await waitUntil(() => healthy.length > 0, 15_000, () => 'the resent message never reached the healthy consumer');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(healthy.map(({ message }) => [message.msgId, message.topic, message.body.toString(), message.reconsumeTimes])).toEqual([
      [resentId, DEAD_TOPIC, 'doomed-1', 0],
    ]);
    expect(healthy[0]!.message.properties).toEqual({ origin: 'e2e' });
  });
});
