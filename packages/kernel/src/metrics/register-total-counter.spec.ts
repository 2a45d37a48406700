import { createMetricsRegistry } from './metrics-registry';
import { registerTotalCounter } from './register-total-counter';
import { registerTotalsByLabel } from './register-totals-by-label';

describe('registerTotalCounter and registerTotalsByLabel', () => {
  it('show the running totals their owner keeps, as they are at each scrape', async () => {
    const registry = createMetricsRegistry();
    const totals = { bytes: 0, byOutcome: { accepted: 0, rejected: 0 } };
    registerTotalCounter(registry, 'test_bytes_total', 'bytes', () => totals.bytes);
    registerTotalsByLabel(registry, 'test_outcomes_total', 'outcomes', 'outcome', () => totals.byOutcome);
    const scrape = async () => (await registry.getMetricsAsJSON()).map((metric) => [metric.name, metric.values.map((v) => [v.labels.outcome, v.value])]);

    expect(await scrape()).toEqual([
      ['test_bytes_total', [[undefined, 0]]],
      ['test_outcomes_total', [['accepted', 0], ['rejected', 0]]],
    ]);
    totals.bytes += 1500;
    totals.byOutcome.accepted += 3;
    expect(await scrape()).toEqual([
      ['test_bytes_total', [[undefined, 1500]]],
      ['test_outcomes_total', [['accepted', 3], ['rejected', 0]]],
    ]);
    totals.byOutcome.rejected++;
    expect(await scrape()).toEqual([
      ['test_bytes_total', [[undefined, 1500]]],
      ['test_outcomes_total', [['accepted', 3], ['rejected', 1]]],
    ]);
  });
});
