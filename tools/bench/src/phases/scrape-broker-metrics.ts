/** A scrape's samples by sample name (`x_bucket`, `x_sum`, a gauge's name), with their labels. */
export type BrokerMetrics = Map<string, Array<{ labels: Record<string, string>; value: number }>>;

/** One scrape of a broker's Prometheus exporter (@tessera/metrics-prometheus). */
export async function scrapeBrokerMetrics(metricsPort: number): Promise<BrokerMetrics> {
  const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`the broker's /metrics answered ${response.status}`);
  return parseMetricsText(await response.text());
}

const SAMPLE = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/**
 * The sample lines of Prometheus' text format. (parse-prometheus-text-format, the npm parser,
 * merges prom-client's labelled histograms: it expects `le` as the last label.)
 */
export function parseMetricsText(text: string): BrokerMetrics {
  const metrics: BrokerMetrics = new Map();
  for (const line of text.split('\n')) {
    const sample = SAMPLE.exec(line);
    if (!sample) continue;
    const labels: Record<string, string> = {};
    for (const [, name, value] of (sample[2] ?? '').matchAll(LABEL)) labels[name!] = value!;
    const samples = metrics.get(sample[1]!) ?? [];
    samples.push({ labels, value: Number(sample[3]) });
    metrics.set(sample[1]!, samples);
  }
  return metrics;
}
