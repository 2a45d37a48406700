import type { MetricsRegistry } from '@tessera/kernel';

/** The value of one series of a registered metric: the first whose labels include `labels` (0 when none has a value yet). */
export async function metricValue(registry: MetricsRegistry, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  const series = values.find((candidate) => Object.entries(labels).every(([label, wanted]) => String(candidate.labels[label]) === wanted));
  return series?.value ?? 0;
}
