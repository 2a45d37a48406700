import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS } from '@tessera/kernel';
import { parseMetricsText } from '../phases/scrape-broker-metrics';
import { brokerBreakdownBetween } from './broker-breakdown';

/** A registry with the metrics a broker exports, under their real names, fed by hand. */
function brokerRegistry() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const histogram = (name: string, buckets = LATENCY_BUCKETS_SECONDS) => new Histogram({ name, help: name, buckets, registers: [registry] });
  return {
    registry,
    produce: histogram('tessera_produce_duration_seconds'),
    fdatasync: histogram('tessera_log_fdatasync_duration_seconds'),
    recordsPerWrite: histogram('tessera_log_records_per_write', [1, 8, 64, 512]),
    scrape: async () => parseMetricsText(await registry.metrics()),
  };
}

describe('brokerBreakdownBetween', () => {
  it('counts only what happened between the two scrapes', async () => {
    const broker = brokerRegistry();
    for (let i = 0; i < 50; i++) broker.fdatasync.observe(0.2);
    broker.produce.observe(0.3);
    const before = await broker.scrape();
    for (let i = 0; i < 98; i++) broker.fdatasync.observe(0.0004);
    broker.fdatasync.observe(0.009);
    broker.fdatasync.observe(0.03);
    for (let i = 0; i < 100; i++) broker.produce.observe(0.0015);
    broker.recordsPerWrite.observe(10);
    broker.recordsPerWrite.observe(30);
    const breakdown = brokerBreakdownBetween(before, await broker.scrape());
    expect(breakdown.fdatasyncs).toBe(100);
    expect(breakdown.fdatasyncsOver5Ms).toBe(2);
    expect(breakdown.produceRequests).toBe(100);
    expect(breakdown.recordsPerWrite).toBe(20);
  });

  it('estimates quantiles within the bucket the rank falls in, as histogram_quantile does', async () => {
    const broker = brokerRegistry();
    const before = await broker.scrape();
    // 90 in (0.25, 0.5] ms, 10 in (7.5, 10] ms: p50 is in the first bucket, p99 in the second.
    for (let i = 0; i < 90; i++) broker.fdatasync.observe(0.0003);
    for (let i = 0; i < 10; i++) broker.fdatasync.observe(0.008);
    const breakdown = brokerBreakdownBetween(before, await broker.scrape());
    expect(breakdown.fdatasyncP50Ms).toBeGreaterThan(0.25);
    expect(breakdown.fdatasyncP50Ms).toBeLessThanOrEqual(0.5);
    expect(breakdown.fdatasyncP99Ms).toBeGreaterThan(7.5);
    expect(breakdown.fdatasyncP99Ms).toBeLessThanOrEqual(10);
  });

  it("reads the process' CPU, GC and event-loop lag", async () => {
    const broker = brokerRegistry();
    const before = await broker.scrape();
    let garbage: object[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      garbage.push({ i });
      if (garbage.length > 1000) garbage = [];
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    const breakdown = brokerBreakdownBetween(before, await broker.scrape());
    expect(breakdown.cpuSeconds).toBeGreaterThan(0);
    expect(breakdown.gcMs).toBeGreaterThan(0);
    expect(breakdown.eventLoopDelayP99Ms).toBeGreaterThanOrEqual(0);
  });

  it('says which metric a broker without the exporter lacks', async () => {
    const empty = parseMetricsText('');
    expect(() => brokerBreakdownBetween(empty, empty)).toThrow('the broker exports no metric tessera_produce_duration_seconds');
  });
});

describe('parseMetricsText', () => {
  it('keeps every label set of a labelled histogram apart, whichever place `le` takes', () => {
    const metrics = parseMetricsText(
      [
        '# TYPE nodejs_gc_duration_seconds histogram',
        'nodejs_gc_duration_seconds_bucket{le="0.001",kind="minor"} 3',
        'nodejs_gc_duration_seconds_sum{kind="minor"} 0.002',
        'nodejs_gc_duration_seconds_sum{kind="major"} 0.5',
        'label_with_quote{path="a \\"b\\""} 1',
      ].join('\n'),
    );
    expect(metrics.get('nodejs_gc_duration_seconds_bucket')).toEqual([{ labels: { le: '0.001', kind: 'minor' }, value: 3 }]);
    expect(metrics.get('nodejs_gc_duration_seconds_sum')!.map((s) => s.value)).toEqual([0.002, 0.5]);
    expect(metrics.get('label_with_quote')![0]!.labels.path).toBe('a \\"b\\"');
  });
});
