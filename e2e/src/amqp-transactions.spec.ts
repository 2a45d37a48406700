import { AmqpTestClient, AmqpTestController } from '@tessera/testing';
import { useDefaultBrokerOverAmqp } from './support/use-default-broker-over-amqp';

const WAIT_MS = 15_000;

describe('AMQP 1.0 local transactions (rhea controller) against a default-distribution broker process', () => {
  const { client, broker } = useDefaultBrokerOverAmqp(WAIT_MS);

  it('stores a committed transaction\'s transfers on two queues once, and a rolled-back one\'s not at all', async () => {
    const c = await client();
    const controller = await AmqpTestController.open(c, WAIT_MS);
    const orders = await c.openSender('tx-orders');
    const audit = await c.openSender('tx-audit');

    const rolledBack = await controller.declare();
    await controller.sendInTransaction(orders.link, rolledBack, { body: 'ghost' });
    await controller.rollback(rolledBack);

    const committed = await controller.declare();
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => controller.sendInTransaction(i % 2 ? audit.link : orders.link, committed, { body: `m-${i}` })),
    );
    expect(outcomes.every((o) => o.state === 'transactional' && o.outcome === 'accepted')).toBe(true);
    await controller.commit(committed);

    const reader = await client();
    const [ordersIn, auditIn] = await Promise.all([reader.openReceiver('tx-orders'), reader.openReceiver('tx-audit')]);
    const received = [...(await ordersIn.until(10)), ...(await auditIn.until(10))].map((d) => String(d.message.body));
    expect(received.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `m-${i}`).sort());
    expect(await ordersIn.staysAt(10, 500)).toBe(true);
  });

  it('acks what a consumer accepted under a transaction at commit; releases it at rollback and when the client dies', async () => {
    const producer = await client();
    const sender = await producer.openSender('tx-work');
    for (const body of ['w1', 'w2', 'w3']) await sender.send({ body });

    // Not one of the fixture's clients: it is destroyed, not closed.
    const worker = await AmqpTestClient.connect({ port: broker().amqpPort!, timeoutMs: WAIT_MS });
    const controller = await AmqpTestController.open(worker, WAIT_MS);
    const receiver = await worker.openReceiver('tx-work', { autoaccept: false, credit: 3 });
    const firstRound = await receiver.until(3);
    const rolledBack = await controller.declare();
    for (const { delivery } of firstRound) AmqpTestController.settleInTransaction(delivery, rolledBack);
    await controller.rollback(rolledBack);
    const secondRound = (await receiver.until(6)).slice(3);
    expect(secondRound.map((d) => d.message.body).sort()).toEqual(['w1', 'w2', 'w3']);

    const committed = await controller.declare();
    AmqpTestController.settleInTransaction(secondRound[0]!.delivery, committed);
    await controller.commit(committed);
    const open = await controller.declare();
    for (const { delivery } of secondRound.slice(1)) AmqpTestController.settleInTransaction(delivery, open);
    await new Promise((resolve) => setTimeout(resolve, 200));
    worker.destroy();

    const next = await (await client()).openReceiver('tx-work');
    const left = await next.until(2);
    expect(left.map((d) => d.message.body).sort()).toEqual(secondRound.slice(1).map((d) => d.message.body).sort());
    expect(await next.staysAt(2, 500)).toBe(true);
  });
});
