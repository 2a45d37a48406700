/** What a broker's slow-fdatasync warnings (store-commitlog, pino JSON lines) add up to. */
export interface SlowFlushes {
  count: number;
  slowestMs: number;
}

export function slowFlushesIn(brokerOutput: string): SlowFlushes {
  const found: SlowFlushes = { count: 0, slowestMs: 0 };
  for (const line of brokerOutput.split('\n')) {
    if (!line.includes('fdatasync took over')) continue;
    try {
      const entry = JSON.parse(line) as { slowFlushes?: number; slowestMs?: number };
      found.count += entry.slowFlushes ?? 0;
      found.slowestMs = Math.max(found.slowestMs, entry.slowestMs ?? 0);
    } catch {
      // A line cut by the output tail's limit: not countable.
    }
  }
  return found;
}
