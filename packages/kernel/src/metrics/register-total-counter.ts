import { Counter } from './metric-types';
import type { MetricsRegistry } from './metrics-registry';

/**
 * A counter showing a running total its owner keeps in a plain number and the registry reads when
 * scraped: a path that counts per message adds to a number instead of paying prom-client's label
 * hashing at every increment.
 */
export function registerTotalCounter(registry: MetricsRegistry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}
