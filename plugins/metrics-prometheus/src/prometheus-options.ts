export const PrometheusOptions = Symbol.for('tessera.metrics-prometheus.PrometheusOptions');

export interface PrometheusOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Also export Node's process metrics (CPU, memory, event-loop lag, GC) under their standard names. */
  processMetrics: boolean;
}

export const DEFAULT_METRICS_PORT = 9410;

export const prometheusOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    host: { type: 'string', minLength: 1, default: '127.0.0.1' },
    port: { type: 'integer', minimum: 0, maximum: 65535, default: DEFAULT_METRICS_PORT },
    processMetrics: { type: 'boolean', default: true },
  },
} as const;
