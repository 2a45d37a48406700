export { metricsPrometheusPlugin as plugin, metricsPrometheusPlugin } from './metrics-prometheus-plugin';
export * from './prometheus-exporter';
export * from './prometheus-options';
