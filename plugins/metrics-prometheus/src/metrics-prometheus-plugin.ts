import { ContainerModule } from 'inversify';
import { LifecycleContribution, type TesseraPlugin } from '@tessera/kernel';
import { PrometheusExporter } from './prometheus-exporter';
import { PrometheusOptions, prometheusOptionsSchema } from './prometheus-options';

/** Exports the broker's metrics (the kernel's and every plugin's) for Prometheus to scrape. */
export const metricsPrometheusPlugin: TesseraPlugin<PrometheusOptions> = {
  name: '@tessera/metrics-prometheus',
  kind: 'observability',
  optionsSchema: prometheusOptionsSchema,
  createModule: (options) =>
    new ContainerModule(({ bind }) => {
      bind(PrometheusOptions).toConstantValue(options);
      bind(PrometheusExporter).toSelf().inSingletonScope();
      bind(LifecycleContribution).toService(PrometheusExporter);
    }),
};
