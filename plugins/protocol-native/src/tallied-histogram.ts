import type { Histogram, MetricsRegistry } from '@tessera/kernel';

interface SeriesTally {
  readonly label: string;
  /** Observations per bucket (not cumulative), the last one past every bound (+Inf). */
  readonly bucketCounts: Float64Array;
  sum: number;
  count: number;
}

interface ExportedValue {
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/**
 * A Prometheus histogram with one label, observed into plain per-slot tallies (no allocation, no
 * hashing) and exported at scrape in the layout of prom-client's Histogram. prom-client hashes the
 * labels into a new string at every observe, even through a child from `labels()`, which a
 * per-request path should not pay. The registry reads a metric through `get()` (and `reset()`), which
 * this one has; it is registered as one of prom-client's, which it is not.
 */
export class TalliedHistogram {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly tallies: Array<SeriesTally | undefined> = [];

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelName: string,
    private readonly upperBounds: readonly number[],
    /** The label value of a slot, asked once, at the slot's first observation. */
    private readonly labelOf: (slot: number) => string,
    registry: MetricsRegistry,
  ) {
    registry.registerMetric(this as unknown as Histogram);
  }

  observe(slot: number, value: number): void {
    const tally = this.tallies[slot] ?? this.createTally(slot);
    const bounds = this.upperBounds;
    let bucket = 0;
    while (bucket < bounds.length && value > bounds[bucket]!) bucket++;
    tally.bucketCounts[bucket]!++;
    tally.sum += value;
    tally.count++;
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: ExportedValue[] }> {
    const values: ExportedValue[] = [];
    for (const tally of this.tallies) if (tally) this.export(tally, values);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    this.tallies.length = 0;
  }

  private createTally(slot: number): SeriesTally {
    const tally = { label: this.labelOf(slot), bucketCounts: new Float64Array(this.upperBounds.length + 1), sum: 0, count: 0 };
    this.tallies[slot] = tally;
    return tally;
  }

  private export(tally: SeriesTally, values: ExportedValue[]): void {
    const bucketName = `${this.name}_bucket`;
    let cumulative = 0;
    this.upperBounds.forEach((le, bucket) => {
      cumulative += tally.bucketCounts[bucket]!;
      values.push({ metricName: bucketName, labels: { le, [this.labelName]: tally.label }, value: cumulative });
    });
    values.push({ metricName: bucketName, labels: { le: '+Inf', [this.labelName]: tally.label }, value: tally.count });
    values.push({ metricName: `${this.name}_sum`, labels: { [this.labelName]: tally.label }, value: tally.sum });
    values.push({ metricName: `${this.name}_count`, labels: { [this.labelName]: tally.label }, value: tally.count });
  }
}
