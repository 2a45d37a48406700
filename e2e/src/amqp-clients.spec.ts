import { connect as connectTcp } from 'node:net';
import { Admin, Producer, PullConsumer, type ReceivedMessage } from '@tessera/client';
import { SystemProperties } from '@tessera/kernel';
import { AmqpTestClient, killAllBrokers, type AmqpTestClientOptions } from '@tessera/testing';
import rhea from 'rhea';
import { startAmqpBroker, type AmqpBroker } from './support/amqp-broker';
import { makeTempDir, removeTempDir } from './support/temp-dir';
import { waitUntil } from './support/wait-until';

const WAIT_MS = 15_000;
const TOPICS = ['orders', 'prices', 'outcomes', 'requests', 'durable-prices', 'from-amqp', 'to-amqp'];
const POP_MAX_DELIVERIES = 3;
const SASL_HEADER = '414d515003010000';

describe('AMQP 1.0 clients against a broker process', () => {
  let dir: string;
  let running: AmqpBroker;
  const clients: AmqpTestClient[] = [];
  const natives: Array<{ shutdown(): Promise<void> }> = [];

  const start = (ports?: { amqpPort: number; nativePort: number }) =>
    startAmqpBroker(dir, {
      broker: { autoCreateTopics: false, popMaxDeliveries: POP_MAX_DELIVERIES },
      amqp: { maxFrameSize: 64 * 1024, modifiedRedeliveryDelayMs: 300 },
      security: { users: [{ username: 'app', password: 'app-secret' }] },
      ports,
    });

  async function client(options: Partial<AmqpTestClientOptions> = {}): Promise<AmqpTestClient> {
    const connected = await AmqpTestClient.connect({ port: running.amqpPort, timeoutMs: WAIT_MS, ...options });
    clients.push(connected);
    return connected;
  }

  async function started<Client extends { start(): Promise<void>; shutdown(): Promise<void> }>(native: Client): Promise<Client> {
    await native.start();
    natives.push(native);
    return native;
  }

  /** Every message of a topic, read with the native protocol from offset 0 of each queue. */
  async function readNatively(topic: string, queueCount: number): Promise<ReceivedMessage[]> {
    const pull = await started(new PullConsumer({ server: running.broker.address }));
    const all: ReceivedMessage[] = [];
    for (let queueId = 0; queueId < queueCount; queueId++) all.push(...(await pull.pull({ topic, queueId, offset: 0, maxCount: 64 })).messages);
    return all;
  }

  beforeAll(async () => {
    dir = makeTempDir();
    running = await start();
    const admin = await started(new Admin({ server: running.broker.address }));
    for (const name of TOPICS) await admin.createTopic({ name, writeQueueCount: 2, readQueueCount: 2 });
  });

  afterAll(async () => {
    await Promise.allSettled(clients.map((c) => c.close()));
    await Promise.allSettled(natives.map((n) => n.shutdown()));
    await killAllBrokers();
    removeTempDir(dir);
  });

  it('shares a queue among competing consumers on two connections: each message to one, none lost', async () => {
    const consumers = await Promise.all([client(), client()]);
    const receivers = await Promise.all(consumers.map((c) => c.openReceiver('/queues/orders', { credit: 20 })));
    const sender = await (await client()).openSender('orders');
    const outcomes = await Promise.all(Array.from({ length: 300 }, (_, i) => sender.send({ body: `order-${i}` })));
    expect(outcomes.every((o) => o.state === 'accepted')).toBe(true);
    await waitUntil(() => receivers[0]!.received.length + receivers[1]!.received.length >= 300, WAIT_MS, () => 'all 300 orders');
    const bodies = receivers.flatMap((r) => r.received.map((d) => String(d.message.body)));
    expect(new Set(bodies).size).toBe(300);
    expect(bodies).toHaveLength(300);
    expect(receivers.every((r) => r.received.length > 0)).toBe(true);
  });

  it('gives each link on a topic address its own copy', async () => {
    const c = await client();
    const links = await Promise.all([c.openReceiver('topic://prices'), (await client()).openReceiver('/topics/prices')]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sender = await c.openSender('topic://prices');
    for (const price of ['101', '102', '103']) await sender.send({ body: price });
    for (const link of links) expect((await link.until(3)).map((d) => d.message.body)).toEqual(['101', '102', '103']);
  });

  it('maps outcomes: released comes again at once (uncounted), modified after the delay, rejected and repeatedly failed go to the DLQ', async () => {
    const c = await client();
    const sender = await c.openSender('outcomes');
    await sender.send({ message_id: 'released-then-accepted', body: 'r' });
    const receiver = await c.openReceiver('outcomes', { autoaccept: false, credit: 1 });
    const [first] = await receiver.until(1);
    first!.delivery.release();
    const [, again] = await receiver.until(2);
    // AMQP 1.0 3.4.4: a released message's delivery-count is not incremented.
    expect(again!.message).toMatchObject({ message_id: 'released-then-accepted', delivery_count: 0 });
    again!.delivery.accept();

    await sender.send({ message_id: 'rejected', body: 'x' });
    const [, , rejected] = await receiver.until(3);
    expect(rejected!.message.message_id).toBe('rejected');
    rejected!.delivery.reject({ condition: 'app:invalid-order', description: 'no such product' });

    await sender.send({ message_id: 'keeps-failing', body: 'y' });
    const failedAt: number[] = [];
    for (let delivery = 1; delivery <= POP_MAX_DELIVERIES; delivery++) {
      const got = (await receiver.until(3 + delivery))[2 + delivery]!;
      expect(got.message).toMatchObject({ message_id: 'keeps-failing', delivery_count: delivery - 1 });
      failedAt.push(Date.now());
      got.delivery.modified({ delivery_failed: true });
    }
    expect(failedAt[1]! - failedAt[0]!).toBeGreaterThanOrEqual(250);

    const dlq = '%DLQ%%AMQP%outcomes';
    let deadLetters: ReceivedMessage[] = [];
    await waitUntil(
      async () => (deadLetters = await readNatively(dlq, 1).catch(() => [])).length >= 2,
      WAIT_MS,
      () => `2 dead letters in ${dlq} (got ${deadLetters.length})`,
    );
    const reasons = deadLetters.map((m) => m.properties[SystemProperties.FAILURE_REASON]);
    expect(reasons).toEqual(expect.arrayContaining(['app:invalid-order: no such product', expect.stringContaining('nacked after 3 deliveries')]));
    // A dead letter keeps the AMQP message: an AMQP consumer of the DLQ reads it as published.
    const dlqReceiver = await c.openReceiver(dlq);
    const ids = (await dlqReceiver.until(2)).map((d) => d.message.message_id).sort();
    expect(ids).toEqual(['keeps-failing', 'rejected']);
  });

  it('answers request/reply through a dynamic reply queue and the anonymous relay', async () => {
    const service = await client();
    const requests = await service.openReceiver('requests');
    const relay = await service.openSender(null);
    requests.link.on('message', (context) => {
      void relay.send({ to: context.message!.reply_to, correlation_id: context.message!.message_id, body: `pong:${context.message!.body}` });
    });
    const requester = await client();
    const replies = await requester.openReceiver({ dynamic: true });
    const out = await requester.openSender('requests');
    for (let i = 0; i < 3; i++) await out.send({ message_id: `req-${i}`, reply_to: replies.link.source.address, body: `ping${i}` });
    const got = await replies.until(3);
    expect(got.map((d) => [d.message.correlation_id, d.message.body]).sort()).toEqual([
      ['req-0', 'pong:ping0'],
      ['req-1', 'pong:ping1'],
      ['req-2', 'pong:ping2'],
    ]);
  });

  it('refuses an unknown address with amqp:not-found, and a bad login with amqp:unauthorized-access', async () => {
    const c = await client();
    await expect(c.openReceiver('no-such-queue')).rejects.toMatchObject({ condition: 'amqp:not-found' });
    await expect(c.openSender('topic://no-such-topic')).rejects.toMatchObject({ condition: 'amqp:not-found' });
    await expect(client({ username: 'app', password: 'wrong' })).rejects.toMatchObject({ condition: 'amqp:unauthorized-access' });
    const app = await client({ username: 'app', password: 'app-secret' });
    expect(await (await app.openSender('orders')).send({ body: 'still serving' })).toEqual({ state: 'accepted' });
  });

  it('answers an AMQP 0-9-1 header and garbage with its own header, closes an over-size frame with framing-error, and keeps serving', async () => {
    expect((await rawExchange(running.amqpPort, [Buffer.from('AMQP\x00\x00\x09\x01', 'latin1')])).toString('hex')).toBe(SASL_HEADER);
    expect((await rawExchange(running.amqpPort, [Buffer.from('\x16\x03\x01garbage-bytes-that-are-not-amqp', 'latin1')])).toString('hex')).toBe(SASL_HEADER);
    // An open frame: size, doff 2, type 0, channel 0, open(container-id "raw").
    const open = Buffer.from('0000001902000000005310d00000000900000001a103726177', 'hex');
    const oversize = Buffer.alloc(8);
    oversize.writeUInt32BE(10 * 1024 * 1024, 0);
    oversize.writeUInt32BE(0x02000000, 4);
    const reply = await rawExchange(running.amqpPort, [Buffer.from('AMQP\x00\x01\x00\x00', 'latin1'), open, oversize]);
    expect(reply.subarray(0, 8).toString('hex')).toBe('414d515000010000');
    expect(reply.toString('latin1')).toContain('amqp:connection:framing-error');
    const c = await client();
    expect(await (await c.openSender('orders')).send({ body: 'after the bad input' })).toEqual({ state: 'accepted' });
  });

  it('crosses protocols: an AMQP message reaches a native consumer, a native one an AMQP receiver', async () => {
    const c = await client();
    const sender = await c.openSender('from-amqp');
    await sender.send({
      subject: 'eu',
      message_id: 'x-1',
      correlation_id: 'c-1',
      content_type: 'text/plain',
      application_properties: { color: 'red', size: 3 },
      body: rhea.message.data_section(Buffer.from('hello native')),
    });
    const [native] = await readNatively('from-amqp', 2);
    expect(native!.body.toString()).toBe('hello native');
    expect(native!.tag).toBe('eu');
    expect(native!.properties).toMatchObject({
      color: 'red',
      size: '3',
      'amqp.message-id': 'x-1',
      'amqp.correlation-id': 'c-1',
      'amqp.content-type': 'text/plain',
    });

    const receiver = await c.openReceiver('to-amqp');
    const producer = await started(new Producer({ server: running.broker.address }));
    await producer.send({ topic: 'to-amqp', body: 'hello amqp', tag: 'us', properties: { color: 'blue' } });
    const [received] = await receiver.until(1);
    expect(received!.message.body.content.toString()).toBe('hello amqp');
    expect(received!.message.subject).toBe('us');
    expect(received!.message.application_properties).toEqual({ color: 'blue' });
  });

  it('keeps a durable topic subscription across detaches and a broker restart', async () => {
    const subscriber = (c: AmqpTestClient) =>
      c.openReceiver({ address: 'topic://durable-prices', durable: 2, expiry_policy: 'never' }, { name: 'price-watch' });
    const durableClient = () => client({ containerId: 'durable-app' });
    const publisher = await (await client()).openSender('topic://durable-prices');

    let sub = await subscriber(await durableClient());
    await new Promise((resolve) => setTimeout(resolve, 200));
    await publisher.send({ body: 'p1' });
    expect((await sub.until(1)).map((d) => d.message.body)).toEqual(['p1']);
    await sub.detach();

    await publisher.send({ body: 'p2' });
    await publisher.send({ body: 'p3' });
    sub = await subscriber(await durableClient());
    // Order holds per queue; the topic has two.
    expect((await sub.until(2)).map((d) => d.message.body).sort()).toEqual(['p2', 'p3']);
    await sub.detach();
    await publisher.send({ body: 'p4' });

    await running.broker.stop();
    running = await start({ amqpPort: running.amqpPort, nativePort: running.broker.port });
    sub = await subscriber(await durableClient());
    expect((await sub.until(1)).map((d) => d.message.body)).toEqual(['p4']);
    expect(await sub.staysAt(1, 300)).toBe(true);
  });
});

/** Writes each buffer to one fresh connection and collects what comes back until the broker closes it. */
function rawExchange(port: number, writes: Buffer[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connectTcp({ host: '127.0.0.1', port }, () => writes.forEach((bytes) => socket.write(bytes)));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the broker did not close the connection; it sent ${Buffer.concat(chunks).toString('hex')}`));
    }, WAIT_MS);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}
