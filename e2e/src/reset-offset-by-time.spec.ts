import { join } from 'node:path';
import { Admin, Producer, PushConsumer, type Message, type ReceivedMessage } from '@tessera/client';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { runTessera, type TesseraRun } from './support/run-tessera';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';

const TOPIC = 'reset-by-time';
const GROUP = 'reset-by-time-group';
const QUEUE_COUNT = 4;
const MESSAGES_PER_QUEUE_PER_BATCH = 500;
const PRODUCE_BATCH = 250;
/** Keeps every store timestamp of batch A before T and every one of batch B after it. */
const GAP_MS = 50;
/** Long enough for a stray redelivery to show up before the checks. */
const GRACE_MS = 1_500;

interface Delivery {
  queueId: number;
  queueOffset: number;
  storeTimestamp: number;
  batch: string;
}

describe('reset-offset to a timestamp', () => {
  let dir: string;
  let broker: BrokerProcess;
  const clients: Array<{ shutdown(): Promise<void> }> = [];

  beforeAll(async () => {
    dir = makeTempDir();
    broker = await BrokerProcess.start({ dataDir: join(dir, 'data'), cwd: dir });
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.shutdown()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  function tessera(...args: string[]): Promise<TesseraRun> {
    return runTessera([...args, '--server', broker.address], { cwd: dir, timeoutMs: 60_000 });
  }

  async function produceBatch(producer: Producer, batch: string): Promise<void> {
    for (let queueId = 0; queueId < QUEUE_COUNT; queueId++) {
      for (let first = 0; first < MESSAGES_PER_QUEUE_PER_BATCH; first += PRODUCE_BATCH) {
        const messages: Message[] = Array.from({ length: PRODUCE_BATCH }, (_, i) => ({
          topic: TOPIC,
          body: Buffer.from(`${batch}-${queueId}-${first + i}`),
          properties: { batch },
        }));
        await producer.sendBatch(messages, { queueId });
      }
    }
  }

  it('replays a running consumer from the first message stored at or after the timestamp, and nothing before it', async () => {
    const admin = new Admin({ server: broker.address });
    clients.push(admin);
    await admin.start();
    await admin.createTopic({ name: TOPIC, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });

    const firstPass: Delivery[] = [];
    const replay: Delivery[] = [];
    let replaying = false;
    const consumer = new PushConsumer({
      server: broker.address,
      group: GROUP,
      topic: TOPIC,
      consumeFrom: 'earliest',
      listener: (messages: ReceivedMessage[]) => {
        for (const m of messages) {
          (replaying ? replay : firstPass).push({ queueId: m.queueId, queueOffset: m.queueOffset, storeTimestamp: m.storeTimestamp, batch: m.properties.batch ?? '?' });
        }
        return 'SUCCESS';
      },
    });
    const consumerErrors: string[] = [];
    consumer.on('error', (error: Error) => consumerErrors.push(error.message));
    clients.push(consumer);
    await consumer.start();
    await waitUntil(() => consumer.assignedQueues().length === QUEUE_COUNT, 30_000, () => `assigned ${consumer.assignedQueues()}`);

    const producer = new Producer({ server: broker.address, retries: 0 });
    clients.push(producer);
    await producer.start();
    await produceBatch(producer, 'A');
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    const resetTo = Date.now();
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    await produceBatch(producer, 'B');
    const total = 2 * QUEUE_COUNT * MESSAGES_PER_QUEUE_PER_BATCH;

    await waitUntil(() => firstPass.length >= total, 60_000, () => `first pass consumed ${firstPass.length} of ${total}`);
    await waitUntil(
      async () => (await admin.describeGroup(GROUP, TOPIC)).queues.every((q) => q.lag === 0),
      30_000,
      () => 'the first pass was not committed',
      200,
    );
    expect(firstPass.filter((d) => d.batch === 'A').every((d) => d.storeTimestamp < resetTo)).toBe(true);
    expect(firstPass.filter((d) => d.batch === 'B').every((d) => d.storeTimestamp >= resetTo)).toBe(true);
    const expectedStart = new Map<number, number>();
    const queueEnd = new Map<number, number>();
    for (const d of firstPass) {
      if (d.storeTimestamp >= resetTo) expectedStart.set(d.queueId, Math.min(expectedStart.get(d.queueId) ?? Infinity, d.queueOffset));
      queueEnd.set(d.queueId, Math.max(queueEnd.get(d.queueId) ?? -1, d.queueOffset + 1));
    }

    expect(expectedStart.size).toBe(QUEUE_COUNT);
    replaying = true;
    const reset = await tessera('group', 'reset-offset', '--group', GROUP, '--topic', TOPIC, '--to-time', new Date(resetTo).toISOString());
    expect(reset).toMatchObject({ exitCode: 0 });
    const listed = reset.stdout.split('\n').filter((line) => line.startsWith(`${TOPIC}\t`));
    expect(listed.sort()).toEqual([...expectedStart].map(([queueId, offset]) => `${TOPIC}\tqueue ${queueId}\toffset=${offset}`).sort());

    const replayTotal = QUEUE_COUNT * MESSAGES_PER_QUEUE_PER_BATCH;
    await waitUntil(() => replay.length >= replayTotal, 60_000, () => `replayed ${replay.length} of ${replayTotal}`);
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS));

    for (const [queueId, start] of expectedStart) {
      const offsets = replay.filter((d) => d.queueId === queueId).map((d) => d.queueOffset);
      const expected = Array.from({ length: queueEnd.get(queueId)! - start }, (_, i) => start + i);
      expect({ queueId, offsets }).toEqual({ queueId, offsets: expected });
    }
    expect(replay.filter((d) => d.batch !== 'B' || d.storeTimestamp < resetTo)).toEqual([]);
    expect(replay).toHaveLength(replayTotal);

    let progress: TesseraRun | undefined;
    await waitUntil(
      async () => {
        progress = await tessera('group', 'progress', '--group', GROUP, '--topic', TOPIC, '--json');
        return progress.exitCode === 0 && (JSON.parse(progress.stdout) as { totalLag: number }).totalLag === 0;
      },
      30_000,
      () => `progress did not reach lag 0: ${progress?.stdout}${progress?.stderr}`,
      500,
    );
    const plain = await tessera('group', 'progress', '--group', GROUP, '--topic', TOPIC);
    expect(plain.stdout.trim().split('\n').at(-1)).toBe('total lag=0');
    expect(consumerErrors).toEqual([]);
  });
});
