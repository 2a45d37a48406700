import { randomBytes } from 'node:crypto';
import { Admin, Producer, PushConsumer, type ReceivedMessage } from '@tessera/client';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { runInParallel } from '@tessera/kernel';
import { logUniformSize } from './support/log-uniform-size';
import { sha256 } from './support/sha256';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';
import { writeDistributionConfig } from './support/write-distribution-config';

const TOPIC = 'exactly-once';
const GROUP = 'exactly-once-group';
const QUEUE_COUNT = 8;
const CONSUMER_COUNT = 3;
const PRODUCER_COUNT = 4;
const MESSAGES_PER_PRODUCER = 25_000;
const TOTAL_MESSAGES = PRODUCER_COUNT * MESSAGES_PER_PRODUCER;
const MIN_BODY_BYTES = 1;
const MAX_BODY_BYTES = 64 * 1024;
const SENDS_IN_FLIGHT_PER_PRODUCER = 32;
/** A few hundred MB over 64 MiB segments: segments roll while producers and consumers race. */
const SEGMENT_BYTES = 64 * 1024 * 1024;

describe('a 3-member consumer group over 8 queues', () => {
  let dir: string;
  let broker: BrokerProcess;
  const consumers: PushConsumer[] = [];
  const producers: Producer[] = [];

  beforeAll(async () => {
    dir = makeTempDir();
    const configFile = writeDistributionConfig(dir, 'exactly-once', { store: { segmentBytes: SEGMENT_BYTES } });
    broker = await BrokerProcess.start({ dataDir: `${dir}/data`, cwd: dir, configFile });
  });

  afterAll(async () => {
    await Promise.allSettled([...consumers, ...producers].map((client) => client.shutdown()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  it('consumes 100,000 messages of 1 B to 64 KiB exactly once, in queue order', async () => {
    const admin = new Admin({ server: broker.address });
    await admin.start();
    await admin.createTopic({ name: TOPIC, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
    await admin.shutdown();

    const expectedHashById = new Map<string, string>();
    const deliveriesById = new Map<string, number>();
    const lastOffsetByQueue = new Map<number, number>();
    const problems: string[] = [];
    let received = 0;
    const onMessages = async (messages: ReceivedMessage[]) => {
      for (const message of messages) {
        received++;
        const id = `${message.properties.producer}:${message.properties.seq}`;
        deliveriesById.set(id, (deliveriesById.get(id) ?? 0) + 1);
        const expected = expectedHashById.get(id);
        if (expected !== undefined && expected !== sha256(message.body)) problems.push(`${id}: body hash differs`);
        const last = lastOffsetByQueue.get(message.queueId) ?? -1;
        if (message.queueOffset <= last) problems.push(`queue ${message.queueId}: offset ${message.queueOffset} after ${last}`);
        lastOffsetByQueue.set(message.queueId, message.queueOffset);
      }
      return 'SUCCESS' as const;
    };
    for (let i = 0; i < CONSUMER_COUNT; i++) {
      const consumer = new PushConsumer({
        server: broker.address,
        group: GROUP,
        topic: TOPIC,
        consumeFrom: 'earliest',
        clientId: `member-${i}`,
        listener: onMessages,
      });
      consumer.on('error', (error: Error) => problems.push(`consumer ${i}: ${error.message}`));
      consumers.push(consumer);
      await consumer.start();
    }
    await waitForStableAssignment(consumers);

    // Ids and hashes are recorded before each send, so a fast consumer never sees an unknown id.
    const startedAt = Date.now();
    let totalBytes = 0;
    await Promise.all(
      Array.from({ length: PRODUCER_COUNT }, async (_, producerId) => {
        // No retries: a resend after a timeout could store a message twice, which is not what this checks.
        const producer = new Producer({ server: broker.address, retries: 0, sendTimeoutMs: 30_000 });
        producers.push(producer);
        await producer.start();
        await runInParallel(MESSAGES_PER_PRODUCER, SENDS_IN_FLIGHT_PER_PRODUCER, async (seq) => {
          const size = seq === 0 ? MIN_BODY_BYTES : seq === 1 ? MAX_BODY_BYTES : logUniformSize(MIN_BODY_BYTES, MAX_BODY_BYTES);
          const body = randomBytes(size);
          expectedHashById.set(`${producerId}:${seq}`, sha256(body));
          totalBytes += size;
          await producer.send({ topic: TOPIC, body, properties: { producer: String(producerId), seq: String(seq) } });
        });
      }),
    );
    const producedAt = Date.now();
    await waitUntil(() => received >= TOTAL_MESSAGES, 180_000, () => `consumed ${received} of ${TOTAL_MESSAGES}`);
    const consumedAt = Date.now();
    // A short grace period: a duplicate delivered late would show up here.
    await new Promise((resolve) => setTimeout(resolve, 1500));

    const missing = [...expectedHashById.keys()].filter((id) => !deliveriesById.has(id));
    const duplicated = [...deliveriesById].filter(([, count]) => count > 1).map(([id]) => id);
    const unknown = [...deliveriesById.keys()].filter((id) => !expectedHashById.has(id));
    console.log(
      `exactly-once: ${TOTAL_MESSAGES} messages, ${(totalBytes / 1e6).toFixed(1)} MB; produced in ${((producedAt - startedAt) / 1000).toFixed(1)} s, ` +
        `all consumed after ${((consumedAt - startedAt) / 1000).toFixed(1)} s`,
    );
    expect(problems.slice(0, 10)).toEqual([]);
    expect(missing.slice(0, 10)).toEqual([]);
    expect(duplicated.slice(0, 10)).toEqual([]);
    expect(unknown).toEqual([]);
    expect(received).toBe(TOTAL_MESSAGES);
  });
});

async function waitForStableAssignment(consumers: PushConsumer[]): Promise<void> {
  let previous = '';
  let stableChecks = 0;
  let current: number[][] = [];
  await waitUntil(
    async () => {
      current = await Promise.all(consumers.map(async (c) => [...(await c.assignedQueues())].sort((a, b) => a - b)));
      const all = current.flat().sort((a, b) => a - b);
      const complete = all.length === QUEUE_COUNT && all.every((queueId, index) => queueId === index);
      const signature = JSON.stringify(current);
      stableChecks = complete && signature === previous ? stableChecks + 1 : 0;
      previous = signature;
      return stableChecks >= 3;
    },
    60_000,
    () => `assignment did not settle on all ${QUEUE_COUNT} queues, disjoint: ${JSON.stringify(current)}`,
    200,
  );
}
