import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import {
  ConfigError,
  createBroker,
  createLogger,
  ErrorCode,
  MessageHooks,
  SystemProperties,
  type AppendMessage,
  type Broker,
  type BrokerRuntime,
  type BrokerSettings,
  type PluginUse,
  type StoredMessage,
  type TesseraPlugin,
} from '@tessera/kernel';
import { memoryStoragePlugin } from '@tessera/testing';
import { featureRetryPlugin } from './feature-retry-plugin';
import type { FeatureRetryOptions } from './feature-retry-options';

const { DELAY_LEVEL, DELAY_MS, REAL_TOPIC, ORIGIN_MSG_ID, FAILURE_COUNT, FAILURE_REASON } = SystemProperties;

/**
 * Stands in for feature-delay: records the schedule a copy asks for and takes the markers off, so
 * the copy is stored at once (the kernel refuses scheduling markers no plugin handles).
 */
class RecordingScheduler implements MessageHooks {
  readonly name = 'recording-scheduler';
  readonly schedules: Array<Record<string, string>> = [];

  onProduce(batch: AppendMessage[]): void {
    for (const message of batch) {
      const { [DELAY_MS]: delayMs, [DELAY_LEVEL]: delayLevel, ...rest } = message.properties ?? {};
      if (delayMs === undefined && delayLevel === undefined) continue;
      this.schedules.push(delayMs === undefined ? { [DELAY_LEVEL]: delayLevel! } : { [DELAY_MS]: delayMs });
      message.properties = rest;
    }
  }
}

function hooksPlugin(hooks: MessageHooks): TesseraPlugin {
  return { name: 'test-hooks', kind: 'feature', createModule: () => new ContainerModule(({ bind }) => void bind(MessageHooks).toConstantValue(hooks)) };
}

describe('feature-retry', () => {
  let dataDir: string;
  let runtime: BrokerRuntime | undefined;
  let broker: Broker;
  let scheduler: RecordingScheduler;

  async function start(options: Partial<FeatureRetryOptions> = {}, settings: Partial<BrokerSettings> = {}): Promise<void> {
    scheduler = new RecordingScheduler();
    const retry: PluginUse<FeatureRetryOptions> = { plugin: featureRetryPlugin, options };
    runtime = createBroker({
      broker: { dataDir, autoCreateTopics: false, ...settings },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, hooksPlugin(scheduler), retry],
      logger: createLogger({ level: 'silent' }),
    });
    await runtime.start();
    broker = runtime.broker;
    await broker.topics.create({ name: 'orders', writeQueueCount: 2 });
  }

  async function produceOrder(): Promise<StoredMessage> {
    const [sent] = await broker.produce(
      [{ topic: 'orders', queueId: 1, body: Buffer.from('order-1'), tag: 'paid', keys: ['o-1'], properties: { region: 'eu' } }],
      { protocol: 'native' },
    );
    return (await broker.getMessageById(sent!.msgId))!;
  }

  async function readAll(topic: string): Promise<StoredMessage[]> {
    const result = await broker.pull({ topic, queueId: 0, offset: 0, maxCount: 100, maxBytes: 1 << 20 });
    return result.messages;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-feature-retry-'));
  });

  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('sends a failed message to its group retry topic with the backoff as a delay, keeping what the producer set', async () => {
    await start({ backoff: ['1s', '5s'] });
    const original = await produceOrder();

    expect(await broker.reportConsumeFailure({ group: 'billing', message: original, reason: 'the listener threw: boom' })).toBe(true);

    expect(broker.topics.get('%RETRY%billing')).toMatchObject({ writeQueueCount: 1, readQueueCount: 1, system: true });
    const [copy] = await readAll('%RETRY%billing');
    expect(copy).toMatchObject({
      topic: '%RETRY%billing',
      body: Buffer.from('order-1'),
      tag: 'paid',
      keys: ['o-1'],
      bornTimestamp: original.bornTimestamp,
      reconsumeTimes: 1,
      properties: { region: 'eu', [REAL_TOPIC]: 'orders', [ORIGIN_MSG_ID]: original.msgId },
    });
    expect(scheduler.schedules).toEqual([{ [DELAY_MS]: '1000' }]);
  });

  it('keeps the first topic and id across retries and waits the n-th backoff, then the last one', async () => {
    await start({ backoff: ['1s', '5s'], maxReconsumeTimes: 5 });
    const original = await produceOrder();
    let failing = original;
    for (let retry = 1; retry <= 3; retry++) {
      await broker.reportConsumeFailure({ group: 'billing', message: failing, reason: `failure ${retry}` });
      failing = (await readAll('%RETRY%billing'))[retry - 1]!;
      expect(failing.reconsumeTimes).toBe(retry);
      expect(failing.properties).toEqual({ region: 'eu', [REAL_TOPIC]: 'orders', [ORIGIN_MSG_ID]: original.msgId });
    }
    expect(scheduler.schedules).toEqual([{ [DELAY_MS]: '1000' }, { [DELAY_MS]: '5000' }, { [DELAY_MS]: '5000' }]);
  });

  it('uses the delay level the consumer asked for instead of the backoff', async () => {
    await start();
    await broker.reportConsumeFailure({ group: 'billing', message: await produceOrder(), reason: 'later', delayLevel: 3 });
    expect(scheduler.schedules).toEqual([{ [DELAY_LEVEL]: '3' }]);
  });

  it('moves a message to the dead-letter queue once it failed past maxReconsumeTimes, with its origin, failure count and last reason', async () => {
    await start({ maxReconsumeTimes: 2, backoff: ['1s'] });
    const original = await produceOrder();
    let failing = original;
    for (let failure = 1; failure <= 3; failure++) {
      expect(await broker.reportConsumeFailure({ group: 'billing', message: failing, reason: `failure ${failure}` })).toBe(true);
      failing = (await readAll('%RETRY%billing'))[failure - 1] ?? failing;
    }

    expect(await readAll('%RETRY%billing')).toHaveLength(2);
    const [deadLetter] = await readAll('%DLQ%billing');
    expect(broker.topics.get('%DLQ%billing')).toMatchObject({ writeQueueCount: 1, readQueueCount: 1 });
    expect(deadLetter).toMatchObject({
      body: Buffer.from('order-1'),
      tag: 'paid',
      keys: ['o-1'],
      reconsumeTimes: 2,
      properties: {
        region: 'eu',
        [REAL_TOPIC]: 'orders',
        [ORIGIN_MSG_ID]: original.msgId,
        [FAILURE_COUNT]: '3',
        [FAILURE_REASON]: 'failure 3',
      },
    });
    expect(scheduler.schedules).toHaveLength(2);
  });

  it('sends straight to the dead-letter queue with maxReconsumeTimes 0', async () => {
    await start({ maxReconsumeTimes: 0 });
    await broker.reportConsumeFailure({ group: 'billing', message: await produceOrder(), reason: 'no retries' });
    expect(broker.topics.get('%RETRY%billing')).toBeUndefined();
    expect((await readAll('%DLQ%billing')).map((m) => m.properties[FAILURE_COUNT])).toEqual(['1']);
  });

  it('dead-letters a per-message-ack message past popMaxDeliveries at once, and the broker acks it away', async () => {
    await start({}, { popMaxDeliveries: 2 });
    const original = await produceOrder();
    const receive = () => broker.receive({ group: 'pickers', topic: 'orders', clientId: 'c-1', queueId: 1, maxCount: 1, invisibleMs: 60_000 });
    for (let delivery = 1; delivery <= 2; delivery++) {
      const [leased] = await receive();
      expect(leased!.deliveryCount).toBe(delivery);
      await broker.nack('pickers', [leased!.receipt]);
    }
    const deadline = Date.now() + 5000;
    let deadLetters: StoredMessage[] = [];
    while (deadLetters.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (broker.topics.get('%DLQ%pickers')) deadLetters = await readAll('%DLQ%pickers');
    }

    expect(deadLetters.map((m) => m.properties)).toEqual([
      {
        region: 'eu',
        [REAL_TOPIC]: 'orders',
        [ORIGIN_MSG_ID]: original.msgId,
        [FAILURE_COUNT]: '2',
        [FAILURE_REASON]: 'nacked after 2 deliveries',
      },
    ]);
    expect(broker.topics.get('%RETRY%pickers')).toBeUndefined();
    await expect(receive()).resolves.toEqual([]);
  });

  it('cuts a long failure reason', async () => {
    await start({ maxReconsumeTimes: 0 });
    await broker.reportConsumeFailure({ group: 'billing', message: await produceOrder(), reason: 'x'.repeat(5000) });
    expect((await readAll('%DLQ%billing'))[0]!.properties[FAILURE_REASON]).toHaveLength(1024);
  });

  it('refuses what it cannot retry with BAD_REQUEST and keeps serving', async () => {
    await start();
    const message = await produceOrder();
    const kernelMessage: StoredMessage = { ...message, topic: '%SYS%pop-journal' };
    await expect(broker.reportConsumeFailure({ group: 'billing', message: kernelMessage, reason: 'x' })).rejects.toMatchObject({
      code: ErrorCode.BAD_REQUEST,
      message: expect.stringContaining("kernel's own topic"),
    });
    for (const group of ['', 'has space', 'g'.repeat(121)]) {
      await expect(broker.reportConsumeFailure({ group, message, reason: 'x' })).rejects.toMatchObject({
        code: ErrorCode.BAD_REQUEST,
        message: expect.stringContaining('cannot have retry and dead-letter topics'),
      });
    }
    await expect(broker.reportConsumeFailure({ group: 'g'.repeat(120), message, reason: 'x' })).resolves.toBe(true);
  });

  it('refuses bad options when the broker is assembled', () => {
    const assemble = (options: Record<string, unknown>) =>
      createBroker({
        broker: { dataDir },
        plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: featureRetryPlugin, options }],
        logger: createLogger({ level: 'silent' }),
      });
    expect(() => assemble({ backoff: ['10x'] })).toThrow(ConfigError);
    expect(() => assemble({ backoff: [] })).toThrow(/backoff/);
    expect(() => assemble({ maxReconsumeTimes: -1 })).toThrow(/maxReconsumeTimes/);
    expect(() => assemble({ maxReconsumeTimes: 3, backoff: ['500ms', '1d'] })).not.toThrow();
  });
});
