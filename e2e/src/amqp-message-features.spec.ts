import rhea from 'rhea';
import { useDefaultBrokerOverAmqp } from './support/use-default-broker-over-amqp';

const WAIT_MS = 15_000;

describe('AMQP 1.0 delayed delivery, source filters and dead-letter annotations against a default-distribution broker process', () => {
  const { client } = useDefaultBrokerOverAmqp(WAIT_MS);

  it('does not deliver a message with x-opt-delivery-delay or x-opt-delivery-time before it is due, and delivers it after', async () => {
    const c = await client();
    const receiver = await c.openReceiver('scheduled');
    const sender = await c.openSender('scheduled');
    const sentAt = Date.now();
    await sender.send({ body: 'now' });
    expect(await sender.send({ body: 'in-1.5s', message_annotations: { 'x-opt-delivery-delay': 1500 } })).toEqual({ state: 'accepted' });
    expect(await sender.send({ body: 'at-2s', message_annotations: { 'x-opt-delivery-time': new Date(sentAt + 2000) } })).toEqual({ state: 'accepted' });
    await receiver.until(1);
    expect(await receiver.staysAt(1, 1000)).toBe(true);
    const [, second, third] = await receiver.until(3, 10_000);
    expect([second!.message.body, third!.message.body]).toEqual(['in-1.5s', 'at-2s']);
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(2000);
  });

  it('gives a topic subscription with a selector or a tag filter only the messages that match, and refuses a bad selector', async () => {
    const c = await client();
    const eu = await c.openReceiver({ address: 'topic://e2e-orders', filter: rhea.filter.selector("region = 'eu' AND total > 100") });
    const refunds = await c.openReceiver({ address: 'topic://e2e-orders', filter: { 'x-opt-tag': 'refund' } });
    expect(eu.link.source.filter).toHaveProperty('jms-selector');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const sender = await c.openSender('topic://e2e-orders');
    const orders = [
      { subject: 'order', region: 'eu', total: 250 },
      { subject: 'order', region: 'eu', total: 50 },
      { subject: 'refund', region: 'us', total: 500 },
      { subject: 'refund', region: 'eu', total: 120 },
    ];
    for (const [i, { subject, region, total }] of orders.entries()) {
      await sender.send({ subject, application_properties: { region, total }, body: `o${i}` });
    }
    expect((await eu.until(2)).map((d) => d.message.body)).toEqual(['o0', 'o3']);
    expect((await refunds.until(2)).map((d) => d.message.body)).toEqual(['o2', 'o3']);
    expect(await eu.staysAt(2, 300)).toBe(true);
    await expect(c.openReceiver({ address: 'topic://e2e-orders', filter: rhea.filter.selector("region LIKE 'e%'") })).rejects.toMatchObject({
      condition: 'amqp:invalid-field',
    });
  });

  it('delivers a rejected message from its dead-letter queue with the reason and origin as message annotations', async () => {
    const c = await client();
    const sender = await c.openSender('e2e-payments');
    await sender.send({ message_id: 'pay-1', body: 'charge' });
    const receiver = await c.openReceiver('e2e-payments', { autoaccept: false });
    const [delivery] = await receiver.until(1);
    delivery!.delivery.reject({ condition: 'app:card-declined', description: 'insufficient funds' });

    const [letter] = await (await c.openReceiver('%DLQ%%AMQP%e2e-payments')).until(1);
    expect(letter!.message.message_id).toBe('pay-1');
    expect(letter!.message.message_annotations).toMatchObject({
      'x-opt-dead-letter-reason': 'app:card-declined: insufficient funds',
      'x-opt-original-address': 'e2e-payments',
      'x-opt-delivery-failures': 1,
    });
  });
});
