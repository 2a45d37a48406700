import { join } from 'node:path';
import { Admin, InvalidSubscriptionError, Producer, PushConsumer, SimpleConsumer, type Message } from '@tessera/client';
import { BrokerProcess, killAllBrokers } from '@tessera/testing';
import { runTessera, type TesseraRun } from './support/run-tessera';
import { seededRandom } from './support/seeded-random';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';

const TOPIC = 'filtered';
const QUEUE_COUNT = 4;
const MESSAGE_COUNT = 5_000;
const BATCH = 250;
const SEED = 20250301;
/** Long enough for a message that should not have matched to show up before the checks. */
const GRACE_MS = 1_000;

interface Sent {
  tag: string | undefined;
  properties: Record<string, string>;
}

/** A subscription and the test's own reading of which messages it selects. */
interface FilterCase {
  name: string;
  tagExpression?: string;
  sqlExpression?: string;
  selects(message: Sent): boolean;
}

/** A property as a number, or undefined when missing or not numeric (SQL's UNKNOWN). */
function numberOf(value: string | undefined): number | undefined {
  if (value === undefined || !/^-?\d+(\.\d+)?$/.test(value)) return undefined;
  return Number(value);
}

const CASES: FilterCase[] = [
  { name: 'one tag', tagExpression: 'TagB', selects: (m) => m.tag === 'TagB' },
  { name: 'two tags', tagExpression: 'TagA || TagC', selects: (m) => m.tag === 'TagA' || m.tag === 'TagC' },
  {
    name: 'equality and a number comparison',
    sqlExpression: "region = 'eu' AND price > 100",
    selects: (m) => m.properties.region === 'eu' && (numberOf(m.properties.price) ?? -Infinity) > 100,
  },
  {
    name: 'BETWEEN and a boolean',
    sqlExpression: 'price BETWEEN 20 AND 60.5 AND vip = TRUE',
    selects: (m) => {
      const price = numberOf(m.properties.price);
      return price !== undefined && price >= 20 && price <= 60.5 && m.properties.vip === 'true';
    },
  },
  {
    name: 'IN or IS NULL',
    sqlExpression: "region IN ('us', 'ap') OR vip IS NULL",
    selects: (m) => m.properties.region === 'us' || m.properties.region === 'ap' || m.properties.vip === undefined,
  },
  {
    // NOT (UNKNOWN) stays UNKNOWN: a message without a region or a numeric price never matches.
    name: 'NOT over an OR, with missing values',
    sqlExpression: "NOT (region = 'eu' OR price < 50)",
    selects: (m) => {
      const price = numberOf(m.properties.price);
      return m.properties.region !== undefined && m.properties.region !== 'eu' && price !== undefined && price >= 50;
    },
  },
  {
    name: 'nested parentheses, TAGS, NOT BETWEEN, NOT IN and IS NOT NULL',
    sqlExpression: "((TAGS = 'TagA' OR TAGS IS NULL) AND (price NOT BETWEEN 10 AND 190)) AND region NOT IN ('ap') AND region IS NOT NULL",
    selects: (m) => {
      const price = numberOf(m.properties.price);
      const tagOk = m.tag === 'TagA' || m.tag === undefined;
      const priceOk = price !== undefined && (price < 10 || price > 190);
      return tagOk && priceOk && m.properties.region !== undefined && m.properties.region !== 'ap';
    },
  },
];

/** Random tags and properties, some missing and some prices not numbers; replayable by SEED. */
function mixedStream(): Sent[] {
  const random = seededRandom(SEED);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  return Array.from({ length: MESSAGE_COUNT }, () => {
    const properties: Record<string, string> = {};
    const region = pick(['eu', 'us', 'ap', undefined]);
    if (region) properties.region = region;
    const priceDraw = random();
    if (priceDraw < 0.8) properties.price = (random() * 200).toFixed(2);
    else if (priceDraw < 0.9) properties.price = 'n/a';
    const vip = pick(['true', 'false', undefined]);
    if (vip) properties.vip = vip;
    return { tag: pick(['TagA', 'TagB', 'TagC', undefined]), properties };
  });
}

describe('tag and SQL92 filters', () => {
  let dir: string;
  let broker: BrokerProcess;
  const clients: Array<{ shutdown(): Promise<void> }> = [];
  /** msgId → what was sent. */
  const sent = new Map<string, Sent>();

  beforeAll(async () => {
    dir = makeTempDir();
    broker = await BrokerProcess.start({ dataDir: join(dir, 'data'), cwd: dir });
    const admin = new Admin({ server: broker.address });
    clients.push(admin);
    await admin.start();
    await admin.createTopic({ name: TOPIC, writeQueueCount: QUEUE_COUNT, readQueueCount: QUEUE_COUNT });
    const producer = new Producer({ server: broker.address });
    clients.push(producer);
    await producer.start();
    const stream = mixedStream();
    for (let first = 0; first < stream.length; first += BATCH) {
      const batch = stream.slice(first, first + BATCH);
      const messages: Message[] = batch.map((m, i) => ({ topic: TOPIC, body: `m${first + i}`, tag: m.tag, properties: m.properties }));
      const results = await producer.sendBatch(messages, { queueId: (first / BATCH) % QUEUE_COUNT });
      results.forEach((result, i) => sent.set(result.msgId, batch[i]!));
    }
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.shutdown()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  function expectedIds(filter: FilterCase): Set<string> {
    return new Set([...sent].filter(([, message]) => filter.selects(message)).map(([msgId]) => msgId));
  }

  it('gives each push consumer exactly the messages its subscription selects', async () => {
    const runs = CASES.map((filter, index) => ({ filter, expected: expectedIds(filter), received: [] as string[], errors: [] as string[], index }));
    for (const run of runs) {
      expect({ name: run.filter.name, someButNotAll: run.expected.size > 0 && run.expected.size < MESSAGE_COUNT }).toEqual({
        name: run.filter.name,
        someButNotAll: true,
      });
      const consumer = new PushConsumer({
        server: broker.address,
        group: `filters-${run.index}`,
        topic: TOPIC,
        tagExpression: run.filter.tagExpression,
        sqlExpression: run.filter.sqlExpression,
        consumeFrom: 'earliest',
        consumeBatchSize: 32,
        listener: (messages) => {
          for (const message of messages) run.received.push(message.msgId);
          return 'SUCCESS';
        },
      });
      consumer.on('error', (error: Error) => run.errors.push(error.message));
      clients.push(consumer);
      await consumer.start();
    }
    await waitUntil(
      () => runs.every((run) => run.received.length >= run.expected.size),
      60_000,
      () => runs.map((run) => `${run.filter.name}: ${run.received.length} of ${run.expected.size}`).join('; '),
    );
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
    for (const run of runs) {
      const received = new Set(run.received);
      expect({ name: run.filter.name, duplicates: run.received.length - received.size, errors: run.errors }).toEqual({
        name: run.filter.name,
        duplicates: 0,
        errors: [],
      });
      expect({ name: run.filter.name, unexpected: [...received].filter((id) => !run.expected.has(id)) }).toEqual({ name: run.filter.name, unexpected: [] });
      expect({ name: run.filter.name, missing: [...run.expected].filter((id) => !received.has(id)) }).toEqual({ name: run.filter.name, missing: [] });
    }
  });

  it('filters per-message-ack receives with SQL92 too', async () => {
    const filter = CASES.find((c) => c.name === 'NOT over an OR, with missing values')!;
    const expected = expectedIds(filter);
    const consumer = new SimpleConsumer({ server: broker.address, group: 'filters-pop', topic: TOPIC, sqlExpression: filter.sqlExpression, awaitDurationMs: 500 });
    clients.push(consumer);
    await consumer.start();
    const received = new Set<string>();
    let emptyReceives = 0;
    for (let round = 0; round < 1_000 && emptyReceives < 2; round++) {
      const leased = await consumer.receive(64);
      emptyReceives = leased.length === 0 ? emptyReceives + 1 : 0;
      for (const message of leased) received.add(message.msgId);
      await consumer.ack(leased);
    }
    expect([...received].filter((id) => !expected.has(id))).toEqual([]);
    expect([...expected].filter((id) => !received.has(id))).toEqual([]);
  });

  it('tessera consume --tag and --sql print exactly the selected messages', async () => {
    for (const [option, filter] of [
      ['--tag', CASES[1]!],
      ['--sql', CASES[4]!],
    ] as const) {
      const expected = expectedIds(filter);
      const expression = option === '--tag' ? filter.tagExpression! : filter.sqlExpression!;
      const run = await tessera('consume', '--topic', TOPIC, '--group', `cli${option}`, option, expression, '--count', String(expected.size), '--print', '--json', '--timeout', '60');
      expect({ option, exitCode: run.exitCode, stderr: run.stderr }).toEqual({ option, exitCode: 0, stderr: expect.any(String) });
      const printed = run.stdout
        .split('\n')
        .filter((line) => line.startsWith('{"topic"'))
        .map((line) => (JSON.parse(line) as { msgId: string }).msgId);
      expect(new Set(printed)).toEqual(expected);
      expect(printed).toHaveLength(expected.size);
    }
  });

  it('refuses a bad SQL92 expression at start with its position and reason, and keeps serving', async () => {
    const consumer = new PushConsumer({
      server: broker.address,
      group: 'filters-bad',
      topic: TOPIC,
      sqlExpression: "region = 'eu' AND price >",
      listener: () => 'SUCCESS',
    });
    clients.push(consumer);
    const refusal = await consumer.start().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(InvalidSubscriptionError);
    expect((refusal as Error).message).toBe(`SQL92 expression "region = 'eu' AND price >" at 26: expected a value, found end of input`);

    const cli = await tessera('consume', '--topic', TOPIC, '--group', 'cli-bad', '--sql', 'price BETWEEN 9 AND 1', '--timeout', '10');
    expect(cli.exitCode).toBe(1);
    expect(cli.stderr).toContain('SQL92 expression "price BETWEEN 9 AND 1" at 15: the lower bound of BETWEEN (9) is above its upper bound (1)');
    const both = await tessera('consume', '--topic', TOPIC, '--group', 'cli-both', '--tag', 'TagA', '--sql', 'price > 1', '--timeout', '10');
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toMatch(/--tag.*cannot be used with.*--sql/);

    const plain = await tessera('consume', '--topic', TOPIC, '--group', 'cli-after', '--count', '1', '--timeout', '30');
    expect(plain.exitCode).toBe(0);
  });

  function tessera(...args: string[]): Promise<TesseraRun> {
    return runTessera([...args, '--server', broker.address], { cwd: dir, timeoutMs: 90_000 });
  }
});
