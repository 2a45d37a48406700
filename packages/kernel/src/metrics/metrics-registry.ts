import { Registry } from 'prom-client';

export const MetricsRegistry = Symbol.for('tessera.MetricsRegistry');

/**
 * One broker's Prometheus registry (prom-client). The kernel and plugins register their metrics
 * in it; an exporter plugin serves it. One per broker, so brokers in one process keep apart.
 */
export type MetricsRegistry = Registry;

export function createMetricsRegistry(): MetricsRegistry {
  return new Registry();
}
