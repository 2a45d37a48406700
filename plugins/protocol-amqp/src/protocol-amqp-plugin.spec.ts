import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rhea from 'rhea';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime, type BrokerSettings, type SecuritySettings } from '@tessera/kernel';
import { AmqpTestClient, memoryStoragePlugin, type AmqpTestClientOptions } from '@tessera/testing';
import type { AmqpProtocolOptions } from './amqp-protocol-options';
import { AmqpProperties } from './amqp-properties';
import { protocolAmqpPlugin } from './protocol-amqp-plugin';

const security: SecuritySettings = {
  users: [
    { username: 'alice', password: 'secret' },
    { username: 'bob', password: 'pw', permissions: { produce: ['bob.*'], consume: ['bob.*'] } },
  ],
};

describe('protocol-amqp plugin', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  const clients: AmqpTestClient[] = [];

  async function start(options: Partial<AmqpProtocolOptions> = {}, broker: Partial<BrokerSettings> = {}): Promise<void> {
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', defaultQueueCount: 2, ...broker },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolAmqpPlugin, options: { port: 0, ...options } }],
      security,
    });
    await runtime.start();
  }

  async function client(options: Partial<AmqpTestClientOptions> = {}): Promise<AmqpTestClient> {
    const connected = await AmqpTestClient.connect({ port: runtime.endpoint('amqp').port, ...options });
    clients.push(connected);
    return connected;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-amqp-'));
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts a transfer once it is stored, and a queue consumer receives it with its properties', async () => {
    await start();
    const c = await client();
    const sender = await c.openSender('/queues/orders');
    const outcome = await sender.send({
      message_id: 'm1',
      subject: 'created',
      application_properties: { region: 'eu' },
      body: rhea.message.data_section(Buffer.from('order-1')),
    });
    expect(outcome).toEqual({ state: 'accepted' });
    const stored = await runtime.broker.pull({ topic: 'orders', queueId: 0, offset: 0, maxCount: 10, maxBytes: 1 << 20 });
    const other = await runtime.broker.pull({ topic: 'orders', queueId: 1, offset: 0, maxCount: 10, maxBytes: 1 << 20 });
    const [message] = [...stored.messages, ...other.messages];
    expect(message!.body.toString()).toBe('order-1');
    expect(message!.tag).toBe('created');
    expect(message!.properties).toMatchObject({ region: 'eu', [AmqpProperties.MESSAGE_ID]: 'm1' });

    const receiver = await c.openReceiver('orders');
    const [received] = await receiver.until(1);
    expect(received!.message.body.content.toString()).toBe('order-1');
    expect(received!.message.message_id).toBe('m1');
    expect(received!.message.application_properties).toEqual({ region: 'eu' });
  });

  it('shares a queue among competing consumers: each message to one of them, none lost', async () => {
    await start();
    const c = await client();
    const receivers = await Promise.all([c.openReceiver('work', { credit: 5 }), c.openReceiver('work', { credit: 5 })]);
    const sender = await c.openSender('work');
    const outcomes = await Promise.all(Array.from({ length: 60 }, (_, i) => sender.send({ body: `job-${i}` })));
    expect(outcomes.every((o) => o.state === 'accepted')).toBe(true);
    const deadline = Date.now() + 10_000;
    while (receivers[0]!.received.length + receivers[1]!.received.length < 60 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const bodies = receivers.flatMap((r) => r.received.map((d) => d.message.body as string));
    expect(bodies.sort()).toEqual(Array.from({ length: 60 }, (_, i) => `job-${i}`).sort());
    expect(receivers.every((r) => r.received.length > 0)).toBe(true);
  });

  it('never sends more than the credit granted, and continues when more is granted', async () => {
    await start();
    const c = await client();
    const sender = await c.openSender('credit');
    await Promise.all(Array.from({ length: 10 }, (_, i) => sender.send({ body: `m${i}` })));
    const receiver = await c.openReceiver('credit', { credit: 0 });
    receiver.addCredit(3);
    await receiver.until(3);
    expect(await receiver.staysAt(3, 300)).toBe(true);
    receiver.addCredit(7);
    await receiver.until(10);
  });

  it('holds more unsettled deliveries in a session than rhea’s 2,048 when sessionWindow allows it', async () => {
    await start({ sessionWindow: 4096 }, { popMaxInflightMessagesPerConsumer: 10_000 });
    const c = await client({ sessionWindow: 4096 });
    const sender = await c.openSender('wide');
    for (let batch = 0; batch < 6; batch++) await Promise.all(Array.from({ length: 500 }, (_, i) => sender.send({ body: `m${batch * 500 + i}` })));
    const receiver = await c.openReceiver('wide', { credit: 0, autoaccept: false });
    receiver.addCredit(3000);
    await receiver.until(3000, 20_000);
    expect(receiver.received.every((d) => !d.delivery.remote_settled)).toBe(true);
  }, 30_000);

  it('gives each topic link its own copy, from the moment it attached', async () => {
    await start();
    const c = await client();
    const sender = await c.openSender('topic://prices');
    await sender.send({ body: 'before' });
    const first = await c.openReceiver('topic://prices');
    const second = await c.openReceiver('/topics/prices');
    await new Promise((resolve) => setTimeout(resolve, 100));
    await sender.send({ body: 'p1' });
    await sender.send({ body: 'p2' });
    expect((await first.until(2)).map((d) => d.message.body)).toEqual(['p1', 'p2']);
    expect((await second.until(2)).map((d) => d.message.body)).toEqual(['p1', 'p2']);
  });

  it('redelivers a released message at once, uncounted, and a modified (delivery-failed) one after the delay, counted', async () => {
    await start();
    const c = await client();
    const sender = await c.openSender('retry-me');
    await sender.send({ body: 'x' });
    const receiver = await c.openReceiver('retry-me', { autoaccept: false });
    const [first] = await receiver.until(1);
    expect(first!.message.delivery_count ?? 0).toBe(0);
    first!.delivery.release();
    const [, again] = await receiver.until(2);
    expect(again!.message.body).toBe('x');
    // AMQP 1.0 3.4.4: released leaves the delivery-count as it was; so does modified without delivery-failed.
    expect(again!.message.delivery_count ?? 0).toBe(0);
    again!.delivery.modified({ delivery_failed: false });
    const [, , third] = await receiver.until(3);
    expect(third!.message.delivery_count ?? 0).toBe(0);
    third!.delivery.modified({ delivery_failed: true });
    const [, , , fourth] = await receiver.until(4, 5000);
    expect(fourth!.message.delivery_count).toBe(1);
    fourth!.delivery.accept();
  });

  it('keeps a message modified undeliverable-here from that link, and gives it to another', async () => {
    await start();
    const c = await client();
    const sender = await c.openSender('not-for-me');
    await sender.send({ body: 'y' });
    const picky = await c.openReceiver('not-for-me', { autoaccept: false });
    const [first] = await picky.until(1);
    first!.delivery.modified({ delivery_failed: true, undeliverable_here: true });
    expect(await picky.staysAt(1, 1500)).toBe(true);
    const other = await c.openReceiver('not-for-me');
    const [taken] = await other.until(1, 5000);
    expect([taken!.message.body, taken!.message.delivery_count]).toEqual(['y', 1]);
    await other.close();
    await sender.send({ body: 'z' });
    expect((await picky.until(2))[1]!.message.body).toBe('z');
  });

  it('lets a browser (distribution-mode copy) see messages and leaves them as they were: a consumer then gets them first-time', async () => {
    await start();
    const c = await client();
    const sender = await c.openSender('browse-me');
    for (const body of ['b1', 'b2']) await sender.send({ body });
    const browser = await c.openReceiver({ address: 'browse-me', distribution_mode: 'copy' });
    expect((await browser.until(2)).map((d) => d.message.body).sort()).toEqual(['b1', 'b2']);
    await browser.close();
    const consumer = await c.openReceiver('browse-me');
    const consumed = await consumer.until(2);
    expect(consumed.map((d) => d.message.body).sort()).toEqual(['b1', 'b2']);
    expect(consumed.map((d) => d.message.delivery_count ?? 0)).toEqual([0, 0]);
  });

  it('lets a browser see a queue while consumers take from it: it leases nothing and sees each message once', async () => {
    await start();
    const c = await client();
    const sender = await c.openSender('browsed-live');
    await sender.send({ body: 'held' });
    const holder = await c.openReceiver('browsed-live', { autoaccept: false, credit: 0 });
    holder.addCredit(1);
    const [held] = await holder.until(1);
    for (const body of ['w1', 'w2']) await sender.send({ body });
    const browser = await c.openReceiver({ address: 'browsed-live', distribution_mode: 'copy' }, { autoaccept: false });
    const copies = await browser.until(3);
    expect(copies.map((d) => [d.message.body, d.message.delivery_count ?? 0]).sort()).toEqual([
      ['held', 1],
      ['w1', 0],
      ['w2', 0],
    ]);
    const consumer = await c.openReceiver('browsed-live');
    expect((await consumer.until(2)).map((d) => [d.message.body, d.message.delivery_count ?? 0]).sort()).toEqual([
      ['w1', 0],
      ['w2', 0],
    ]);
    await sender.send({ body: 'later' });
    expect((await browser.until(4))[3]!.message.body).toBe('later');
    await consumer.until(3);
    held!.delivery.accept();
    expect(await browser.staysAt(4, 500)).toBe(true);
    const second = await c.openReceiver({ address: 'browsed-live', distribution_mode: 'copy' });
    expect(await second.staysAt(0, 500)).toBe(true);
  });

  it('keeps a message leased while its consumer holds it longer than leaseMs, and takes its late accept', async () => {
    await start({ leaseMs: 1000 });
    const c = await client();
    const sender = await c.openSender('slow-work');
    await sender.send({ body: 'long job' });
    const holder = await c.openReceiver('slow-work', { autoaccept: false });
    const [held] = await holder.until(1);
    const other = await c.openReceiver('slow-work');
    expect(await other.staysAt(0, 2500)).toBe(true);
    held!.delivery.accept();
    await holder.close();
    expect(await other.staysAt(0, 1500)).toBe(true);
    expect(holder.received).toHaveLength(1);
  });

  it('redelivers what a consumer left unsettled when its link goes', async () => {
    await start();
    const c = await client();
    const sender = await c.openSender('unsettled');
    await sender.send({ body: 'keep-me' });
    const first = await c.openReceiver('unsettled', { autoaccept: false });
    await first.until(1);
    await first.close();
    const second = await c.openReceiver('unsettled');
    const [again] = await second.until(1);
    expect(again!.message.body).toBe('keep-me');
  });

  it('answers request/reply through a dynamic reply queue and the anonymous relay', async () => {
    await start();
    const service = await client();
    const requests = await service.openReceiver('requests');
    const relay = await service.openSender(null);
    requests.link.on('message', (context) => {
      void relay.send({ to: context.message!.reply_to, correlation_id: context.message!.message_id, body: `re: ${context.message!.body}` });
    });
    const requester = await client();
    const replies = await requester.openReceiver({ dynamic: true });
    const replyTo = replies.link.source.address;
    expect(replyTo).toMatch(/^%AMQP-TMP%/);
    const out = await requester.openSender('requests');
    await out.send({ message_id: 'q1', reply_to: replyTo, body: 'ping' });
    const [reply] = await replies.until(1);
    expect(reply!.message.body).toBe('re: ping');
    expect(reply!.message.correlation_id).toBe('q1');
    await replies.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runtime.broker.topics.get(replyTo)).toBeUndefined();
  });

  it('rejects a relay message without `to`, and one too large, and keeps the connection', async () => {
    await start({}, { maxMessageBytes: 1024 });
    const c = await client();
    const relay = await c.openSender(null);
    expect(await relay.send({ body: 'nowhere' })).toMatchObject({ state: 'rejected', condition: 'amqp:invalid-field' });
    const sender = await c.openSender('big');
    expect(await sender.send({ body: rhea.message.data_section(Buffer.alloc(2048)) })).toMatchObject({
      state: 'rejected',
      condition: 'amqp:link:message-size-exceeded',
    });
    expect(await sender.send({ body: 'small' })).toEqual({ state: 'accepted' });
  });

  it('refuses an unknown address when auto-create is off', async () => {
    await start({}, { autoCreateTopics: false });
    const c = await client();
    await expect(c.openReceiver('missing')).rejects.toMatchObject({ condition: 'amqp:not-found' });
    await expect(c.openSender('missing')).rejects.toMatchObject({ condition: 'amqp:not-found' });
  });

  it('logs users in with PLAIN against the user store, refuses a bad password, and applies their permissions', async () => {
    await start({ allowAnonymous: false });
    await expect(client()).rejects.toThrow();
    await expect(client({ username: 'alice', password: 'wrong' })).rejects.toMatchObject({ condition: 'amqp:unauthorized-access' });
    const alice = await client({ username: 'alice', password: 'secret' });
    await alice.openSender('anything');
    const bob = await client({ username: 'bob', password: 'pw' });
    await bob.openSender('bob.inbox');
    await expect(bob.openSender('alice.inbox')).rejects.toMatchObject({ condition: 'amqp:unauthorized-access' });
    await expect(bob.openReceiver('alice.inbox')).rejects.toMatchObject({ condition: 'amqp:unauthorized-access' });
  });

  it('answers a wrong protocol header with its own and closes, and keeps serving others', async () => {
    await start();
    const reply = await rawExchange(runtime.endpoint('amqp').port, Buffer.from([0x41, 0x4d, 0x51, 0x50, 0x00, 0x00, 0x09, 0x01]));
    expect(reply.toString('hex')).toBe('414d515003010000');
    const garbage = await rawExchange(runtime.endpoint('amqp').port, Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    expect(garbage.toString('hex')).toBe('414d515003010000');
    const c = await client();
    expect(await (await c.openSender('alive')).send({ body: 'ok' })).toEqual({ state: 'accepted' });
  });
});

/** Writes bytes to a fresh connection and collects what comes back until the broker closes it. */
function rawExchange(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: '127.0.0.1', port }, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('the broker did not close the connection'));
    }, 5000);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}
