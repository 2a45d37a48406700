import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, createLogger, ErrorCode, validateAgainstSchema, type BrokerRuntime, type Subscription } from '@tessera/kernel';
import { memoryStoragePlugin } from '@tessera/testing';
import { defaultFeatureFilterOptions } from './feature-filter-options';
import { featureFilterPlugin } from './feature-filter-plugin';

const TOPIC = 'orders';
const MESSAGE_COUNT = 400;
const TAGS = ['TagA', 'TagB', 'TagC', undefined];
const REGIONS = ['eu', 'us', 'ap', undefined];

interface Sent {
  tag: string | undefined;
  properties: Record<string, string>;
}

function sentMessage(i: number): Sent {
  const properties: Record<string, string> = { price: String(i % 100) };
  const region = REGIONS[i % REGIONS.length];
  if (region) properties.region = region;
  return { tag: TAGS[Math.floor(i / 3) % TAGS.length], properties };
}

describe('featureFilterPlugin', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-feature-filter-'));
    runtime = createBroker({
      broker: { dataDir },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, featureFilterPlugin],
      logger: createLogger({ level: 'silent' }),
    });
    await runtime.start();
    await runtime.broker.topics.create({ name: TOPIC, writeQueueCount: 1, readQueueCount: 1 });
    await runtime.broker.produce(
      Array.from({ length: MESSAGE_COUNT }, (_, i) => ({ topic: TOPIC, queueId: 0, body: Buffer.from(String(i)), ...sentMessage(i) })),
      { protocol: 'internal' },
    );
  });

  afterAll(async () => {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every message the subscription lets through, read in pulls of 16 (at most MESSAGE_COUNT pulls). */
  async function pullAll(expressionType: Subscription['expressionType'], expression: string): Promise<number[]> {
    const subscription: Subscription = { group: 'g', topic: TOPIC, expressionType, expression };
    const received: number[] = [];
    let offset = 0;
    for (let pulls = 0; offset < MESSAGE_COUNT && pulls < MESSAGE_COUNT; pulls++) {
      const result = await runtime.broker.pull({ topic: TOPIC, queueId: 0, offset, maxCount: 16, maxBytes: 1 << 20, subscription });
      received.push(...result.messages.map((m) => Number(m.body.toString())));
      offset = result.nextOffset;
    }
    return received;
  }

  const indexesWhere = (predicate: (sent: Sent) => boolean) =>
    Array.from({ length: MESSAGE_COUNT }, (_, i) => i).filter((i) => predicate(sentMessage(i)));

  it('fills its options with the documented defaults', () => {
    const options: Record<string, unknown> = {};
    validateAgainstSchema(featureFilterPlugin.optionsSchema!, options, 'options', 'feature-filter');
    expect(options).toEqual(defaultFeatureFilterOptions);
  });

  it('lets a tag subscription read exactly the messages with one of its tags', async () => {
    expect(await pullAll('TAG', 'TagA || TagC')).toEqual(indexesWhere((m) => m.tag === 'TagA' || m.tag === 'TagC'));
    expect(await pullAll('TAG', '*')).toHaveLength(MESSAGE_COUNT);
  });

  it('lets a SQL92 subscription read exactly the messages it selects', async () => {
    expect(await pullAll('SQL92', "region IN ('eu', 'ap') AND price BETWEEN 10 AND 49 OR TAGS IS NULL")).toEqual(
      indexesWhere((m) => ((m.properties.region === 'eu' || m.properties.region === 'ap') && Number(m.properties.price) >= 10 && Number(m.properties.price) <= 49) || m.tag === undefined),
    );
  });

  it('filters per-message-ack receives too', async () => {
    const leased = await runtime.broker.receive({
      group: 'pop',
      topic: TOPIC,
      clientId: 'c',
      maxCount: 32,
      invisibleMs: 30_000,
      subscription: { group: 'pop', topic: TOPIC, expressionType: 'SQL92', expression: "region = 'us' AND price < 20" },
    });
    expect(leased.map((l) => Number(l.message.body.toString()))).toEqual(
      indexesWhere((m) => m.properties.region === 'us' && Number(m.properties.price) < 20),
    );
  });

  it('refuses a bad expression with SUBSCRIPTION_INVALID and keeps serving', async () => {
    await expect(pullAll('SQL92', 'price >')).rejects.toMatchObject({ code: ErrorCode.SUBSCRIPTION_INVALID, message: expect.stringContaining('at 8') });
    await expect(pullAll('TAG', 'TagA ||')).rejects.toMatchObject({ code: ErrorCode.SUBSCRIPTION_INVALID });
    expect(await pullAll('TAG', 'TagB')).toEqual(indexesWhere((m) => m.tag === 'TagB'));
  });
});
