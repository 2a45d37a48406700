import { metricValue } from '@tessera/testing';
import { popServiceHarness, sleep } from './pop-service-harness.spec-helper';

describe('PopMetrics', () => {
  const { start, produce, request } = popServiceHarness();

  it('counts deliveries, redeliveries, acks and leases ended by reason', async () => {
    const { runtime, broker } = await start();
    await broker.topics.create({ name: 't', writeQueueCount: 1 });
    await produce(broker, 't', 4);
    const value = (name: string, labels: Record<string, string> = {}) => metricValue(runtime.metrics, name, labels);

    const [a, b, c, d] = await broker.receive(request());
    await expect(broker.ack('g', [a!.receipt, a!.receipt])).resolves.toEqual(['OK', 'STALE']);
    await expect(broker.nack('g', [b!.receipt, b!.receipt])).resolves.toEqual(['OK', 'STALE']);
    await broker.release('g', [c!.receipt]);
    await broker.changeInvisibleTime('g', d!.receipt, 100);
    await sleep(300);
    const again = await broker.receive(request());
    expect(again).toHaveLength(3);

    expect(await value('tessera_pop_deliveries_total')).toBe(7);
    expect(await value('tessera_pop_redeliveries_total')).toBe(2);
    expect(await value('tessera_pop_acks_total')).toBe(1);
    expect(await value('tessera_pop_leases_ended_total', { reason: 'nacked' })).toBe(1);
    expect(await value('tessera_pop_leases_ended_total', { reason: 'released' })).toBe(1);
    expect(await value('tessera_pop_leases_ended_total', { reason: 'expired' })).toBe(1);
  });
});
