import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Admin, Producer, PullConsumer } from '@tessera/client';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { ContinuousProducers } from './support/continuous-producers';
import { flipByteInRecordBody } from './support/flip-byte-in-record-body';
import { readWholeQueue } from './support/read-whole-queue';
import { sha256 } from './support/sha256';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { verifyAckedMessages } from './support/verify-acked-messages';
import { waitUntil } from './support/wait-until';
import { writeDistributionConfig } from './support/write-distribution-config';

const TOPIC = 'durable';
const QUEUE_COUNT = 4;
const ACKED_BEFORE_KILL = 3_000;
/** Small segments, so the crash and the recovery span many segment files. */
const SEGMENT_BYTES = 1024 * 1024;

describe('SIGKILL under SYNC flush', () => {
  let dir: string;
  let dataDir: string;
  let configFile: string;
  const clients: Array<{ shutdown(): Promise<void> }> = [];

  beforeAll(() => {
    dir = makeTempDir();
    dataDir = join(dir, 'data');
    configFile = writeDistributionConfig(dir, 'small-segments', { store: { segmentBytes: SEGMENT_BYTES } });
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.shutdown()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  async function startedPullConsumer(server: string): Promise<PullConsumer> {
    const consumer = new PullConsumer({ server });
    clients.push(consumer);
    await consumer.start();
    return consumer;
  }

  it('loses no acked message, and never serves a record corrupted on disk', async () => {
    let broker = await BrokerProcess.start({ dataDir, cwd: dir, configFile });
    const admin = new Admin({ server: broker.address });
    await admin.start();
    await admin.createTopic({ name: TOPIC, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
    await admin.shutdown();

    const load = await ContinuousProducers.start({
      server: broker.address,
      topic: TOPIC,
      producerCount: 2,
      sendsInFlightPerProducer: 16,
      minBodyBytes: 100,
      maxBodyBytes: 4_000,
      sendTimeoutMs: 3_000,
    });
    await waitUntil(() => load.acked.length >= ACKED_BEFORE_KILL, 60_000, () => `only ${load.acked.length} acked`);
    const killed = await broker.kill();
    expect(killed.signal).toBe('SIGKILL');
    await load.stop();
    console.log(`SIGKILL after ${load.acked.length} acked sends (${load.failedSends} sends failed with the broker)`);

    expect(readdirSync(join(dataDir, 'commitlog')).filter((name) => /^\d{20}$/.test(name)).length).toBeGreaterThan(2);
    broker = await BrokerProcess.start({ dataDir, cwd: dir, configFile, port: broker.port });
    let consumer = await startedPullConsumer(broker.address);
    expect(await verifyAckedMessages(consumer, TOPIC, load.acked)).toEqual([]);

    // The last record in the log: one more acked send, then a crash and a flipped byte in it.
    const producer = new Producer({ server: broker.address });
    clients.push(producer);
    await producer.start();
    const lastBody = randomBytes(2_000);
    const last = await producer.send({ topic: TOPIC, body: lastBody });
    await producer.shutdown();
    const servedBeforeCorruption = await consumer.pull({ topic: TOPIC, queueId: last.queueId, offset: last.queueOffset, maxCount: 1, maxWaitMs: 0 });
    expect(servedBeforeCorruption.messages.map((m) => sha256(m.body))).toEqual([sha256(lastBody)]);
    await consumer.shutdown();
    await broker.kill();
    const corrupted = flipByteInRecordBody(dataDir, last.msgId, lastBody);
    console.log(`flipped the byte at ${corrupted.position} of ${corrupted.file} (inside ${last.msgId})`);

    broker = await BrokerProcess.start({ dataDir, cwd: dir, configFile, port: broker.port });
    consumer = await startedPullConsumer(broker.address);
    const queue = await readWholeQueue(consumer, TOPIC, last.queueId);
    expect(queue.some((m) => m.msgId === last.msgId || m.queueOffset >= last.queueOffset)).toBe(false);
    expect(queue.some((m) => sha256(m.body) === sha256(lastBody))).toBe(false);
    const pull = await consumer.pull({ topic: TOPIC, queueId: last.queueId, offset: last.queueOffset, maxCount: 1, maxWaitMs: 0 });
    expect(pull.messages).toEqual([]);
    expect(await verifyAckedMessages(consumer, TOPIC, load.acked)).toEqual([]);
    await consumer.shutdown();
    const stopped = await broker.stop();
    expect(stopped.code).toBe(0);
  });
});
