import type { MetricsRegistry } from '@tessera/kernel';

/** Every series of a registered metric, keyed by the value of one of its labels. */
export async function metricValuesByLabel(registry: MetricsRegistry, name: string, label: string): Promise<Record<string, number>> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return Object.fromEntries(values.map((series) => [String(series.labels[label]), series.value]));
}
