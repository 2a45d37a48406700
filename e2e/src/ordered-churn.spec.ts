import { Admin, keyHashSelector, Producer, type Message } from '@tessera/client';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { MemberChurn } from './support/member-churn';
import { readMemberRecords, type MemberRecord } from './support/member-record';
import { seededRandom } from './support/seeded-random';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { writeDistributionConfig } from './support/write-distribution-config';

const TOPIC = 'ordered';
const GROUP = 'ordered-group';
const QUEUE_COUNT = 8;
const KEY_COUNT = 20;
const MESSAGES_PER_KEY = 5000;
const BATCH = 50;
const SESSION_TIMEOUT_MS = 3000;
const SEED = Number(process.env.TESSERA_CHURN_SEED ?? Date.now() % 1_000_000);

describe('ordered consumption while members die and join', () => {
  let dir: string;
  let broker: BrokerProcess;
  let churn: MemberChurn | undefined;

  beforeAll(async () => {
    dir = makeTempDir();
    const configFile = writeDistributionConfig(dir, 'ordered', { broker: { groupSessionTimeoutMs: SESSION_TIMEOUT_MS } });
    broker = await BrokerProcess.start({ dataDir: `${dir}/data`, cwd: dir, configFile });
  });

  afterAll(async () => {
    await churn?.stopAll();
    await killAllBrokers();
    removeTempDir(dir);
  });

  it(`processes each of 20 keys × 5,000 messages in order (seed ${SEED})`, async () => {
    const admin = new Admin({ server: broker.address });
    await admin.start();
    await admin.createTopic({ name: TOPIC, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
    await admin.shutdown();

    const random = seededRandom(SEED);
    churn = new MemberChurn({
      server: broker.address,
      group: GROUP,
      topic: TOPIC,
      dir,
      random,
      minMembers: 2,
      maxMembers: 4,
      member: { consumeMode: 'ORDERLY', workMs: 20, consumeBatchSize: 16, heartbeatIntervalMs: 1000 },
    });
    const startedAt = Date.now();
    await churn.start(3);

    // Each key's messages leave one batch at a time, so they are stored in key order.
    const producer = new Producer({ server: broker.address, retries: 0, sendTimeoutMs: 30_000 });
    await producer.start();
    const producing = Promise.all(
      Array.from({ length: KEY_COUNT }, async (_, k) => {
        const key = `key-${k}`;
        for (let first = 0; first < MESSAGES_PER_KEY; first += BATCH) {
          const batch: Message[] = Array.from({ length: BATCH }, (_, i) => ({
            topic: TOPIC,
            body: Buffer.from(`${key}:${first + i}`),
            keys: [key],
            properties: { key, seq: String(first + i) },
          }));
          await producer.sendBatch(batch, { queueSelector: keyHashSelector });
        }
      }),
    );

    const total = KEY_COUNT * MESSAGES_PER_KEY;
    const processedIds = () => new Set(readMemberRecords(churn!.logFiles).map((r) => `${r.key}:${r.seq}`)).size;
    await Promise.all([churn.churnUntilProcessed(processedIds, total), producing]);
    await producer.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const elapsedMs = Date.now() - startedAt;

    const killed = new Set(churn.deaths.map((d) => d.clientId));
    const byKey = new Map<string, MemberRecord[]>();
    for (const record of readMemberRecords(churn.logFiles)) {
      const list = byKey.get(record.key);
      if (list) list.push(record);
      else byKey.set(record.key, [record]);
    }
    const problems: string[] = [];
    let replayed = 0;
    for (const [key, list] of byKey) {
      let previous: MemberRecord | undefined;
      let highest = -1;
      for (const record of list) {
        const expected = previous ? previous.seq + 1 : 0;
        if (record.seq !== expected) {
          const rewindAfterDeath = previous && record.seq <= previous.seq && killed.has(previous.clientId) && record.clientId !== previous.clientId;
          if (!rewindAfterDeath) {
            problems.push(`${key}: ${record.clientId} processed ${record.seq} after ${previous?.clientId ?? 'nobody'} processed ${previous?.seq ?? 'nothing'}`);
            if (problems.length > 20) break;
          }
        }
        if (record.seq <= highest) replayed++;
        highest = Math.max(highest, record.seq);
        previous = record;
      }
      if (highest !== MESSAGES_PER_KEY - 1) problems.push(`${key}: processed up to ${highest} only`);
    }
    console.log(
      `ordered churn (seed ${SEED}): ${total} messages in ${(elapsedMs / 1000).toFixed(1)} s, ${churn.kills} kills, ${churn.joins} joins; ` +
        `${replayed} replayed after deaths; in order: ${problems.length === 0}\n  ${churn.events.join('\n  ')}`,
    );
    expect(byKey.size).toBe(KEY_COUNT);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(churn.kills).toBeGreaterThanOrEqual(2);
  });
});
