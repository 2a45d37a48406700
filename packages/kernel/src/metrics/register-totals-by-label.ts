import { Counter } from './metric-types';
import type { MetricsRegistry } from './metrics-registry';

/**
 * A counter with one series per value of `label`, showing running totals its owner keeps in plain
 * numbers (see registerTotalCounter). `read` gives every label value, those still at 0 included,
 * so each series is there from the first scrape.
 */
export function registerTotalsByLabel(
  registry: MetricsRegistry,
  name: string,
  help: string,
  label: string,
  read: () => Readonly<Record<string, number>>,
): void {
  new Counter({
    name,
    help,
    labelNames: [label],
    registers: [registry],
    collect() {
      this.reset();
      for (const [value, total] of Object.entries(read())) this.inc({ [label]: value }, total);
    },
  });
}
