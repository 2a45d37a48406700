/**
 * The metric classes plugins register in the broker's MetricsRegistry: the kernel's own
 * prom-client, the one the registry comes from, so a plugin needs no dependency of its own on it.
 */
export { Counter, Gauge, Histogram } from 'prom-client';
