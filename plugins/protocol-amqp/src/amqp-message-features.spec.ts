import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rhea from 'rhea';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { featureDelayPlugin } from '@tessera/feature-delay';
import { featureFilterPlugin } from '@tessera/feature-filter';
import { featureRetryPlugin } from '@tessera/feature-retry';
import { createBroker, type BrokerRuntime } from '@tessera/kernel';
import { AmqpTestClient, memoryStoragePlugin } from '@tessera/testing';
import type { AmqpProtocolOptions } from './amqp-protocol-options';
import { DeadLetterAnnotation } from './message-annotations-section';
import { protocolAmqpPlugin } from './protocol-amqp-plugin';

const selector = (expression: string) => rhea.filter.selector(expression);

describe('protocol-amqp with the feature plugins: delayed delivery, source filters, dead letters; message expiry', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  let c: AmqpTestClient;

  async function start(options: Partial<AmqpProtocolOptions> = {}): Promise<void> {
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', defaultQueueCount: 2 },
      plugins: [
        memoryStoragePlugin,
        coordinationLocalPlugin,
        { plugin: protocolAmqpPlugin, options: { port: 0, ...options } },
        featureDelayPlugin,
        featureRetryPlugin,
        featureFilterPlugin,
      ],
    });
    await runtime.start();
    c = await AmqpTestClient.connect({ port: runtime.endpoint('amqp').port });
  }

  /** A broker with other options, on a fresh data dir. */
  async function restartWith(options: Partial<AmqpProtocolOptions>): Promise<void> {
    await c.close();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-amqp-features-'));
    await start(options);
  }

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-amqp-features-'));
    await start();
  });

  afterEach(async () => {
    await c.close();
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds a message with x-opt-delivery-delay or x-opt-delivery-time until it is due', async () => {
    const receiver = await c.openReceiver('later');
    const sender = await c.openSender('later');
    const sentAt = Date.now();
    expect(await sender.send({ body: 'by-delay', message_annotations: { 'x-opt-delivery-delay': 800 } })).toEqual({ state: 'accepted' });
    expect(await sender.send({ body: 'by-time', message_annotations: { 'x-opt-delivery-time': new Date(sentAt + 800) } })).toEqual({
      state: 'accepted',
    });
    expect(await receiver.staysAt(0, 500)).toBe(true);
    const delivered = await receiver.until(2, 5000);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(800);
    expect(delivered.map((d) => d.message.body).sort()).toEqual(['by-delay', 'by-time']);
  });

  it('rejects a message whose delay annotation is not a time or asks twice, with amqp:invalid-field', async () => {
    const sender = await c.openSender('later');
    expect(await sender.send({ body: 'x', message_annotations: { 'x-opt-delivery-delay': 'soon' } })).toMatchObject({
      state: 'rejected',
      condition: 'amqp:invalid-field',
    });
    expect(
      await sender.send({ body: 'x', message_annotations: { 'x-opt-delivery-delay': 10, 'x-opt-delivery-time': new Date() } }),
    ).toMatchObject({ state: 'rejected', condition: 'amqp:invalid-field' });
  });

  it('applies a JMS selector and a tag filter on a topic subscription, and echoes them in the attach', async () => {
    const red = await c.openReceiver({ address: 'topic://paint', filter: selector("color = 'red'") });
    const tagged = await c.openReceiver({ address: 'topic://paint', filter: { 'x-opt-tag': 'gloss || matt' } });
    const both = await c.openReceiver({ address: 'topic://paint', filter: { ...selector("color = 'red'"), 'x-opt-tag': 'gloss' } });
    expect(Object.keys(red.link.source.filter ?? {})).toEqual(['jms-selector']);
    expect(tagged.link.source.filter).toEqual({ 'x-opt-tag': 'gloss || matt' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sender = await c.openSender('topic://paint');
    const paints = [
      { subject: 'gloss', color: 'red' },
      { subject: 'matt', color: 'blue' },
      { subject: 'satin', color: 'red' },
    ];
    for (const { subject, color } of paints) {
      await sender.send({ subject, application_properties: { color }, body: `${subject}-${color}` });
    }
    expect((await red.until(2)).map((d) => d.message.body)).toEqual(['gloss-red', 'satin-red']);
    expect((await tagged.until(2)).map((d) => d.message.body)).toEqual(['gloss-red', 'matt-blue']);
    expect((await both.until(1)).map((d) => d.message.body)).toEqual(['gloss-red']);
    expect(await both.staysAt(1, 200)).toBe(true);
  });

  it('leaves filters it does not know out of the attach reply, and applies none', async () => {
    const unknown = { 'x-other': rhea.types.wrap_described('x', 'vendor:unknown-filter:string') };
    const receiver = await c.openReceiver({ address: 'topic://plain', filter: unknown });
    expect(receiver.link.source.filter ?? {}).toEqual({});
  });

  it('refuses a bad selector with amqp:invalid-field, and a filter on a queue with amqp:not-implemented', async () => {
    await expect(c.openReceiver({ address: 'topic://paint', filter: selector('color = ') })).rejects.toMatchObject({
      condition: 'amqp:invalid-field',
      message: expect.stringContaining('SQL92 expression'),
    });
    await expect(c.openReceiver({ address: 'paint-queue', filter: selector("color = 'red'") })).rejects.toMatchObject({
      condition: 'amqp:not-implemented',
    });
    expect(await (await c.openSender('still-open')).send({ body: 'ok' })).toEqual({ state: 'accepted' });
  });

  it('delivers a dead letter with its reason and origin as message annotations, keeping the publisher\'s own', async () => {
    const sender = await c.openSender('doomed');
    await sender.send({ message_id: 'd-1', body: 'bad', message_annotations: { 'x-opt-app': 'kept' } });
    const receiver = await c.openReceiver('doomed', { autoaccept: false });
    const [delivery] = await receiver.until(1);
    delivery!.delivery.reject({ condition: 'app:invalid-order', description: 'no such customer' });

    const dead = await c.openReceiver('%DLQ%%AMQP%doomed');
    const [letter] = await dead.until(1);
    expect(letter!.message.body).toBe('bad');
    expect(letter!.message.message_id).toBe('d-1');
    expect(letter!.message.message_annotations).toMatchObject({
      'x-opt-app': 'kept',
      [DeadLetterAnnotation.REASON]: 'app:invalid-order: no such customer',
      [DeadLetterAnnotation.ORIGINAL_ADDRESS]: 'doomed',
      [DeadLetterAnnotation.DELIVERY_FAILURES]: 1,
    });
    expect(letter!.message.message_annotations![DeadLetterAnnotation.ORIGINAL_MESSAGE_ID]).toMatch(/^[0-9A-F]+$/);
  });

  it('drops a rejected message whose queue name is too long for a dead-letter topic, instead of redelivering it for ever', async () => {
    await restartWith({ leaseMs: 1000 });
    const address = 'q'.repeat(115);
    const sender = await c.openSender(address);
    await sender.send({ body: 'poison' });
    await sender.send({ body: 'next' });
    const receiver = await c.openReceiver(address, { autoaccept: false });
    const [poison] = await receiver.until(1);
    poison!.delivery.reject({ condition: 'app:bad' });
    const [, next] = await receiver.until(2);
    expect(next!.message.body).toBe('next');
    next!.delivery.accept();
    expect(await receiver.staysAt(2, 2500)).toBe(true);
  });

  it('drops what expired before a consumer took it, and sends the rest with what is left of their ttl', async () => {
    const sender = await c.openSender('perishable');
    const sentAt = Date.now();
    for (const message of [
      { body: 'short-ttl', ttl: 150 },
      { body: 'long-ttl', ttl: 60_000 },
      { body: 'past-absolute', absolute_expiry_time: new Date(sentAt + 150) },
      { body: 'plain' },
    ]) {
      expect(await sender.send(message)).toEqual({ state: 'accepted' });
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    const receiver = await c.openReceiver('perishable');
    const delivered = await receiver.until(2, 5000);
    expect(delivered.map((d) => d.message.body)).toEqual(['long-ttl', 'plain']);
    const ttl = delivered[0]!.message.ttl!;
    expect(ttl).toBeLessThanOrEqual(60_000 - 400);
    expect(ttl).toBeGreaterThan(50_000);
    expect(delivered[1]!.message.ttl).toBeUndefined();
    expect(await receiver.staysAt(2, 300)).toBe(true);
    expect(runtime.broker.topics.get('%DLQ%%AMQP%perishable')).toBeUndefined();
  });

  it('dead-letters what expired before a consumer took it when deadLetterExpired is on, with reason expired', async () => {
    await restartWith({ deadLetterExpired: true });
    const sender = await c.openSender('perishable');
    await sender.send({ message_id: 'p-1', body: 'gone-off', ttl: 100 });
    await sender.send({ body: 'fresh' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const receiver = await c.openReceiver('perishable');
    expect((await receiver.until(1)).map((d) => d.message.body)).toEqual(['fresh']);
    const dead = await c.openReceiver('%DLQ%%AMQP%perishable');
    const [letter] = await dead.until(1);
    expect(letter!.message).toMatchObject({ body: 'gone-off', message_id: 'p-1' });
    expect(letter!.message.message_annotations).toMatchObject({
      [DeadLetterAnnotation.REASON]: 'expired',
      [DeadLetterAnnotation.ORIGINAL_ADDRESS]: 'perishable',
      [DeadLetterAnnotation.DELIVERY_FAILURES]: 0,
    });
    expect(await receiver.staysAt(1, 300)).toBe(true);
  });
});
