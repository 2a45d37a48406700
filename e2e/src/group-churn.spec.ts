import { randomBytes } from 'node:crypto';
import { Admin, Producer, type Message } from '@tessera/client';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { MemberChurn } from './support/member-churn';
import { readMemberRecords, type MemberRecord } from './support/member-record';
import { seededRandom } from './support/seeded-random';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { writeDistributionConfig } from './support/write-distribution-config';

const TOPIC = 'churn';
const GROUP = 'churn-group';
const QUEUE_COUNT = 8;
const TOTAL_MESSAGES = 200_000;
const BATCH = 200;
const SESSION_TIMEOUT_MS = 3000;
const SEED = Number(process.env.TESSERA_CHURN_SEED ?? Date.now() % 1_000_000);

describe('a consumer group whose members die and join while it consumes', () => {
  let dir: string;
  let broker: BrokerProcess;
  let churn: MemberChurn | undefined;

  beforeAll(async () => {
    dir = makeTempDir();
    const configFile = writeDistributionConfig(dir, 'churn', { broker: { groupSessionTimeoutMs: SESSION_TIMEOUT_MS } });
    broker = await BrokerProcess.start({ dataDir: `${dir}/data`, cwd: dir, configFile });
  });

  afterAll(async () => {
    await churn?.stopAll();
    await killAllBrokers();
    removeTempDir(dir);
  });

  it(`processes 200,000 messages at least once; duplicates only past a dead member's last commit (seed ${SEED})`, async () => {
    const admin = new Admin({ server: broker.address });
    await admin.start();
    await admin.createTopic({ name: TOPIC, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
    await admin.shutdown();
    const producer = new Producer({ server: broker.address, retries: 0, sendTimeoutMs: 30_000 });
    await producer.start();
    const payload = randomBytes(64);
    for (let first = 0; first < TOTAL_MESSAGES; first += BATCH) {
      const batch: Message[] = Array.from({ length: BATCH }, (_, i) => ({ topic: TOPIC, body: payload, properties: { seq: String(first + i) } }));
      await producer.sendBatch(batch, { queueId: (first / BATCH) % QUEUE_COUNT });
    }
    await producer.shutdown();

    const random = seededRandom(SEED);
    churn = new MemberChurn({
      server: broker.address,
      group: GROUP,
      topic: TOPIC,
      dir,
      random,
      minMembers: 2,
      maxMembers: 4,
      member: { consumeMode: 'CONCURRENT', workMs: 10, consumeBatchSize: 16, heartbeatIntervalMs: 1000 },
    });
    const startedAt = Date.now();
    await churn.start(3);
    const processedIds = () => new Set(readMemberRecords(churn!.logFiles).map((r) => `${r.queueId}:${r.queueOffset}`)).size;
    await churn.churnUntilProcessed(processedIds, TOTAL_MESSAGES);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const elapsedMs = Date.now() - startedAt;

    const records = readMemberRecords(churn.logFiles);
    const byId = new Map<string, MemberRecord[]>();
    for (const record of records) {
      const id = `${record.queueId}:${record.queueOffset}`;
      const list = byId.get(id);
      if (list) list.push(record);
      else byId.set(id, [record]);
    }
    const deathOf = new Map(churn.deaths.map((d) => [d.clientId, d]));
    const problems: string[] = [];
    let duplicates = 0;
    for (const [id, list] of byId) {
      if (list[0]!.seq !== seqAt(list[0]!)) problems.push(`${id}: seq ${list[0]!.seq} is not the one produced there`);
      for (const earlier of list.slice(0, -1)) {
        duplicates++;
        const death = deathOf.get(earlier.clientId);
        const committed = death?.committedByQueue.get(earlier.queueId);
        if (committed === undefined || earlier.queueOffset < committed) {
          problems.push(
            `${id} processed again after ${earlier.clientId} had it` +
              (death ? ` (it died with queue ${earlier.queueId} committed at ${committed ?? 'not owned'})` : ' (it did not die)'),
          );
        }
      }
    }
    console.log(
      `group churn (seed ${SEED}): ${TOTAL_MESSAGES} messages in ${(elapsedMs / 1000).toFixed(1)} s, ${churn.kills} kills, ${churn.joins} joins; ` +
        `${duplicates} duplicates, all from uncommitted work of killed members: ${problems.length === 0}\n  ${churn.events.join('\n  ')}`,
    );
    expect(byId.size).toBe(TOTAL_MESSAGES);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(churn.kills).toBeGreaterThanOrEqual(2);
  });
});

/** Batches of BATCH went to queues round robin, so a queue offset names exactly one seq. */
function seqAt(record: MemberRecord): number {
  const batchInQueue = Math.floor(record.queueOffset / BATCH);
  const batchIndex = batchInQueue * QUEUE_COUNT + record.queueId;
  return batchIndex * BATCH + (record.queueOffset % BATCH);
}
