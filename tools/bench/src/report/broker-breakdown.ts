import type { BrokerMetrics } from '../phases/scrape-broker-metrics';

/**
 * What the broker itself saw during a measured window (the difference of two scrapes): how long
 * produce requests and fdatasyncs took inside it, how its event loop and GC fared. Set beside an
 * end-to-end latency, it says which part of the tail is the disk, which the broker, which neither.
 */
export interface BrokerBreakdown {
  produceRequests: number;
  /** Produce request in the kernel until acked (includes the append's fdatasync under SYNC). */
  produceP50Ms: number;
  produceP99Ms: number;
  fdatasyncs: number;
  fdatasyncP50Ms: number;
  fdatasyncP99Ms: number;
  fdatasyncsOver5Ms: number;
  recordsPerWrite: number;
  /**
   * Event-loop delay p99 beyond the best case, over the window (the exporter resets its histogram at
   * each scrape). Node's monitor records whole sampling intervals (10 ms here), so the least one
   * recorded is taken off.
   */
  eventLoopDelayP99Ms: number;
  gcMs: number;
  cpuSeconds: number;
}

const SLOW_FDATASYNC_SECONDS = 0.005;

export function brokerBreakdownBetween(before: BrokerMetrics, after: BrokerMetrics): BrokerBreakdown {
  const produce = histogramDelta(before, after, 'tessera_produce_duration_seconds');
  const fdatasync = histogramDelta(before, after, 'tessera_log_fdatasync_duration_seconds');
  const records = histogramDelta(before, after, 'tessera_log_records_per_write');
  const gc = sumOfHistograms(after, 'nodejs_gc_duration_seconds') - sumOfHistograms(before, 'nodejs_gc_duration_seconds');
  return {
    produceRequests: produce.count,
    produceP50Ms: quantile(produce, 0.5) * 1000,
    produceP99Ms: quantile(produce, 0.99) * 1000,
    fdatasyncs: fdatasync.count,
    fdatasyncP50Ms: quantile(fdatasync, 0.5) * 1000,
    fdatasyncP99Ms: quantile(fdatasync, 0.99) * 1000,
    fdatasyncsOver5Ms: fdatasync.count - countAtMost(fdatasync, SLOW_FDATASYNC_SECONDS),
    recordsPerWrite: records.count === 0 ? 0 : records.sum / records.count,
    eventLoopDelayP99Ms: (gauge(after, 'nodejs_eventloop_lag_p99_seconds') - gauge(after, 'nodejs_eventloop_lag_min_seconds')) * 1000,
    gcMs: gc * 1000,
    cpuSeconds: gauge(after, 'process_cpu_seconds_total') - gauge(before, 'process_cpu_seconds_total'),
  };
}

/** Cumulative bucket counts by upper bound (seconds, ascending; +Inf last), count and sum. */
interface HistogramCounts {
  buckets: Array<[number, number]>;
  count: number;
  sum: number;
}

function histogramDelta(before: BrokerMetrics, after: BrokerMetrics, name: string): HistogramCounts {
  const from = histogram(before, name);
  const to = histogram(after, name);
  return {
    buckets: to.buckets.map(([le, count], i) => [le, count - (from.buckets[i]?.[1] ?? 0)]),
    count: to.count - from.count,
    sum: to.sum - from.sum,
  };
}

function histogram(metrics: BrokerMetrics, name: string): HistogramCounts {
  const buckets = samples(metrics, `${name}_bucket`)
    .map(({ labels, value }): [number, number] => [labels.le === '+Inf' ? Infinity : Number(labels.le), value])
    .sort((a, b) => a[0] - b[0]);
  return { buckets, count: samples(metrics, `${name}_count`)[0]!.value, sum: samples(metrics, `${name}_sum`)[0]!.value };
}

/** Like Prometheus' histogram_quantile: linear within the bucket the rank falls in. */
function quantile(histogram: HistogramCounts, q: number): number {
  if (histogram.count === 0) return 0;
  const rank = q * histogram.count;
  let lower = 0;
  let below = 0;
  for (const [le, cumulative] of histogram.buckets) {
    if (cumulative >= rank) {
      if (le === Infinity) return lower;
      return lower + ((le - lower) * (rank - below)) / Math.max(1, cumulative - below);
    }
    lower = le;
    below = cumulative;
  }
  return lower;
}

function countAtMost(histogram: HistogramCounts, seconds: number): number {
  return histogram.buckets.find(([le]) => le >= seconds)?.[1] ?? histogram.count;
}

/** Over every label set; absent (nothing observed yet) counts as 0. */
function sumOfHistograms(metrics: BrokerMetrics, name: string): number {
  return (metrics.get(`${name}_sum`) ?? []).reduce((total, sample) => total + sample.value, 0);
}

function gauge(metrics: BrokerMetrics, name: string): number {
  return samples(metrics, name)[0]!.value;
}

function samples(metrics: BrokerMetrics, name: string) {
  const found = metrics.get(name);
  if (!found || found.length === 0) throw new Error(`the broker exports no metric ${name}`);
  return found;
}
