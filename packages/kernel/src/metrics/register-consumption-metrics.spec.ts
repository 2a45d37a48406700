import type { BrokerRuntime } from '../broker/broker-runtime';
import { popServiceHarness } from '../pop/pop-service-harness.spec-helper';
import { MetricsRegistry } from './metrics-registry';

/** A gauge's values at a scrape, as `label=value,... → value` lines, sorted. */
async function scrape(runtime: BrokerRuntime, name: string): Promise<string[]> {
  const metric = runtime.container.get<MetricsRegistry>(MetricsRegistry).getSingleMetric(name)!;
  const { values } = await metric.get();
  return values
    .map((value) => `${Object.entries(value.labels).map(([label, text]) => `${label}=${text}`).join(',')} → ${value.value}`)
    .sort();
}

describe('consumption metrics', () => {
  const { start, produce, request } = popServiceHarness();

  it('show each group’s lag and in-flight messages per topic, and what each topic retains, at scrape time', async () => {
    const { runtime, broker } = await start();
    await broker.topics.create({ name: 'orders', writeQueueCount: 2 });
    await broker.topics.create({ name: 'audit', writeQueueCount: 1 });
    await produce(broker, 'orders', 10);
    await produce(broker, 'audit', 3);
    broker.commitOffset('billing', 'orders', 0, 4);
    broker.commitOffset('billing', 'orders', 1, 5);
    const leased = await broker.receive(request({ group: 'shipping', topic: 'orders', maxCount: 4 }));
    await broker.ack('shipping', [leased[0]!.receipt]);

    expect(await scrape(runtime, 'tessera_topic_retained_messages')).toEqual(['topic=audit → 3', 'topic=orders → 10']);
    expect(await scrape(runtime, 'tessera_group_lag_messages')).toEqual(['group=billing,topic=orders → 1', 'group=shipping,topic=orders → 9']);
    expect(await scrape(runtime, 'tessera_group_inflight_messages')).toEqual(['group=shipping,topic=orders → 3']);

    await broker.ack('shipping', leased.slice(1).map((m) => m.receipt));
    await broker.forgetPerMessageAckGroup('shipping', 'orders');
    expect(await scrape(runtime, 'tessera_group_lag_messages')).toEqual(['group=billing,topic=orders → 1']);
    expect(await scrape(runtime, 'tessera_group_inflight_messages')).toEqual([]);
  });
});
