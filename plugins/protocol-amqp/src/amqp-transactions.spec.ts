import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coordinationLocalPlugin } from '@tessera/coordination-local';
import { createBroker, type BrokerRuntime, type StoredMessage } from '@tessera/kernel';
import { AmqpPeerError, AmqpTestClient, AmqpTestController, memoryStoragePlugin } from '@tessera/testing';
import type { AmqpProtocolOptions } from './amqp-protocol-options';
import { protocolAmqpPlugin } from './protocol-amqp-plugin';

describe('protocol-amqp transactions (AMQP 1.0 part 4)', () => {
  let dataDir: string;
  let runtime: BrokerRuntime;
  const clients: AmqpTestClient[] = [];

  async function start(options: Partial<AmqpProtocolOptions> = {}): Promise<void> {
    runtime = createBroker({
      broker: { dataDir, logLevel: 'silent', defaultQueueCount: 2 },
      plugins: [memoryStoragePlugin, coordinationLocalPlugin, { plugin: protocolAmqpPlugin, options: { port: 0, ...options } }],
    });
    await runtime.start();
  }

  async function client(): Promise<AmqpTestClient> {
    const connected = await AmqpTestClient.connect({ port: runtime.endpoint('amqp').port });
    clients.push(connected);
    return connected;
  }

  /** Every message stored on the topic, over all its queues. */
  async function stored(topic: string): Promise<StoredMessage[]> {
    const config = runtime.broker.topics.get(topic);
    if (!config) return [];
    const all: StoredMessage[] = [];
    for (let queueId = 0; queueId < config.readQueueCount; queueId++) {
      all.push(...(await runtime.broker.pull({ topic, queueId, offset: 0, maxCount: 100, maxBytes: 1 << 20 })).messages);
    }
    return all;
  }

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-amqp-tx-'));
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds transfers sent under a transaction until it commits, then stores them all at once', async () => {
    await start();
    const c = await client();
    const controller = await AmqpTestController.open(c);
    const sender = await c.openSender('tx-orders');
    const txnId = await controller.declare();
    expect(txnId.length).toBeGreaterThan(0);
    const outcomes = await Promise.all(
      ['a', 'b', 'c'].map((body) => controller.sendInTransaction(sender.link, txnId, { message_id: body, body })),
    );
    expect(outcomes).toEqual(Array(3).fill({ state: 'transactional', outcome: 'accepted' }));
    expect(await stored('tx-orders')).toHaveLength(0);

    await controller.commit(txnId);
    expect((await stored('tx-orders')).map((m) => m.body.toString()).sort()).toEqual(['a', 'b', 'c']);
    const [first] = await stored('tx-orders');
    expect(first!.properties['amqp.message-id']).toBeDefined();
    const receiver = await c.openReceiver('tx-orders');
    expect((await receiver.until(3)).map((d) => d.message.body).sort()).toEqual(['a', 'b', 'c']);
  });

  it('drops what a rolled-back transaction sent, and sends outside a transaction as usual meanwhile', async () => {
    await start();
    const c = await client();
    const controller = await AmqpTestController.open(c);
    const sender = await c.openSender('tx-rollback');
    const txnId = await controller.declare();
    await controller.sendInTransaction(sender.link, txnId, { body: 'never' });
    expect(await sender.send({ body: 'plain' })).toEqual({ state: 'accepted' });
    await controller.rollback(txnId);
    expect((await stored('tx-rollback')).map((m) => m.body.toString())).toEqual(['plain']);
  });

  it('refuses a discharge of an unknown or already discharged transaction with amqp:transaction:unknown-id', async () => {
    await start();
    const c = await client();
    const controller = await AmqpTestController.open(c);
    await expect(controller.commit(Buffer.from('nope'))).rejects.toMatchObject({ condition: 'amqp:transaction:unknown-id' });
    const txnId = await controller.declare();
    await controller.commit(txnId);
    await expect(controller.rollback(txnId)).rejects.toMatchObject({ condition: 'amqp:transaction:unknown-id' });
    const sender = await c.openSender('tx-unknown');
    expect(await controller.sendInTransaction(sender.link, txnId, { body: 'late' })).toMatchObject({
      state: 'rejected',
      condition: 'amqp:transaction:unknown-id',
    });
  });

  it('acks messages a consumer accepted under a transaction only when it commits, and releases them when it rolls back', async () => {
    await start();
    const c = await client();
    const sender = await c.openSender('tx-consume');
    for (const body of ['m1', 'm2']) await sender.send({ body });
    const controller = await AmqpTestController.open(c);
    const receiver = await c.openReceiver('tx-consume', { autoaccept: false });
    const delivered = await receiver.until(2);

    const rolledBack = await controller.declare();
    for (const { delivery } of delivered) AmqpTestController.settleInTransaction(delivery, rolledBack);
    await controller.rollback(rolledBack);
    const again = (await receiver.until(4)).slice(2);
    expect(again.map((d) => d.message.body).sort()).toEqual(['m1', 'm2']);
    expect(again.every((d) => d.message.delivery_count === 1)).toBe(true);

    const committed = await controller.declare();
    for (const { delivery } of again) AmqpTestController.settleInTransaction(delivery, committed);
    // Not acked yet: the group still holds both, leased.
    expect(await receiver.staysAt(4, 200)).toBe(true);
    await controller.commit(committed);
    await receiver.close();
    const next = await c.openReceiver('tx-consume');
    expect(await next.staysAt(0, 300)).toBe(true);
  });

  it('keeps a message settled under an open transaction leased past leaseMs, until the transaction ends', async () => {
    await start({ leaseMs: 1000 });
    const c = await client();
    const sender = await c.openSender('tx-slow');
    for (const body of ['kept', 'rolled']) await sender.send({ body });
    const controller = await AmqpTestController.open(c);
    const receiver = await c.openReceiver('tx-slow', { autoaccept: false });
    const [first, second] = await receiver.until(2);
    const committed = await controller.declare();
    const rolledBack = await controller.declare();
    AmqpTestController.settleInTransaction(first!.delivery, committed);
    AmqpTestController.settleInTransaction(second!.delivery, rolledBack);
    const other = await c.openReceiver('tx-slow');
    expect(await other.staysAt(0, 2500)).toBe(true);
    expect(receiver.received).toHaveLength(2);
    await controller.commit(committed);
    await controller.rollback(rolledBack);
    // Either link may take the rolled-back message; the committed one reaches neither.
    const redelivered = await Promise.race([receiver.until(3).then((all) => all[2]!), other.until(1).then(([only]) => only!)]);
    expect([redelivered.message.body, redelivered.message.delivery_count]).toEqual([second!.message.body, 1]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.length + other.received.length).toBe(3);
  }, 15_000);

  it('keeps renewing a message settled under an open transaction after its link detaches', async () => {
    await start({ leaseMs: 1000 });
    const c = await client();
    const sender = await c.openSender('tx-detached');
    await sender.send({ body: 'kept' });
    const controller = await AmqpTestController.open(c);
    const receiver = await c.openReceiver('tx-detached', { autoaccept: false });
    const [delivered] = await receiver.until(1);
    const txnId = await controller.declare();
    AmqpTestController.settleInTransaction(delivered!.delivery, txnId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await receiver.close();
    const other = await c.openReceiver('tx-detached');
    expect(await other.staysAt(0, 2500)).toBe(true);
    await controller.commit(txnId);
    expect(await other.staysAt(0, 1500)).toBe(true);
  }, 15_000);

  it('rolls back the open transactions of a connection that closes', async () => {
    await start();
    const seed = await client();
    const seeder = await seed.openSender('tx-dropped');
    await seeder.send({ body: 'to-consume' });

    const c = await client();
    const controller = await AmqpTestController.open(c);
    const sender = await c.openSender('tx-dropped-out');
    const receiver = await c.openReceiver('tx-dropped', { autoaccept: false });
    const [delivery] = await receiver.until(1);
    const txnId = await controller.declare();
    await controller.sendInTransaction(sender.link, txnId, { body: 'uncommitted' });
    AmqpTestController.settleInTransaction(delivery!.delivery, txnId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    clients.splice(clients.indexOf(c), 1);
    c.destroy();

    const other = await client();
    const again = await other.openReceiver('tx-dropped');
    expect((await again.until(1))[0]!.message.body).toBe('to-consume');
    expect(await stored('tx-dropped-out')).toHaveLength(0);
  });

  it('refuses transfers past the per-transaction limit with amqp:resource-limit-exceeded, and then rolls the transaction back', async () => {
    await start({ maxTransactionMessages: 2 });
    const c = await client();
    const controller = await AmqpTestController.open(c);
    const sender = await c.openSender('tx-limit');
    const txnId = await controller.declare();
    await controller.sendInTransaction(sender.link, txnId, { body: '1' });
    await controller.sendInTransaction(sender.link, txnId, { body: '2' });
    expect(await controller.sendInTransaction(sender.link, txnId, { body: '3' })).toMatchObject({
      state: 'rejected',
      condition: 'amqp:resource-limit-exceeded',
    });
    const refused = await controller.commit(txnId).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AmqpPeerError);
    expect(refused).toMatchObject({ condition: 'amqp:transaction:rollback' });
    expect(await stored('tx-limit')).toHaveLength(0);
  });

  it('refuses more open transactions than a connection may have', async () => {
    await start({ maxOpenTransactions: 1 });
    const c = await client();
    const controller = await AmqpTestController.open(c);
    await controller.declare();
    await expect(controller.declare()).rejects.toMatchObject({ condition: 'amqp:resource-limit-exceeded' });
  });
});
