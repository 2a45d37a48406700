import type { BenchResults } from './bench-results';
import { count } from './format-figures';

/** The table `npm run bench` prints, with each target beside the figure it applies to. */
export function formatResultsTable(results: BenchResults): string {
  const { disk, latency, targets } = results;
  const rows: string[][] = [['phase', 'msgs/s', 'MB/s', 'target']];
  rows.push([`disk ceiling: fdatasync'd ${disk.chunkBytes / 1024 / 1024} MiB writes (1 KiB msgs equivalent)`, count(disk.equivalentMsgsPerSec), mb(disk.mbPerSec), '']);
  for (const phase of results.produce) {
    const isTargetPhase = phase.batchSize > 1 && phase.flush === 'SYNC';
    const target = isTargetPhase ? `≥ ${count(targets.batchedSyncMsgsPerSec)} msgs/s: ${phase.msgsPerSec >= targets.batchedSyncMsgsPerSec ? 'met' : 'missed'}` : '';
    const failures = phase.failedRequests > 0 ? ` (${phase.failedRequests} requests failed)` : '';
    rows.push([`${phase.name}${failures}`, count(phase.msgsPerSec), mb(phase.mbPerSec), target]);
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => (column === 0 || column === 3 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  const p99Verdict = latency.recorded === 0 ? 'not measured' : latency.p99Ms <= targets.latencyP99Ms ? 'met' : 'missed';
  lines.push(
    '',
    `produce-to-consume latency at ${count(latency.messagesPerSecond)} msgs/s (achieved ${count(latency.achievedRate)}, ${count(latency.recorded)} recorded, SYNC):`,
    `  p50 ${ms(latency.p50Ms)}  p99 ${ms(latency.p99Ms)}  p99.9 ${ms(latency.p999Ms)}  max ${ms(latency.maxMs)}   target p99 ≤ ${targets.latencyP99Ms} ms: ${p99Verdict}`,
  );
  lines.push(
    `  (the bench's own event-loop delay meanwhile, p99: producer thread ${ms(latency.producerEventLoopDelayP99Ms)}, consumer thread ${ms(latency.consumerEventLoopDelayP99Ms)})`,
  );
  const { broker } = latency;
  lines.push(
    `  inside the broker meanwhile: produce request to ack p50 ${ms(broker.produceP50Ms)}, p99 ${ms(broker.produceP99Ms)} (${count(broker.produceRequests)} requests);`,
    `    fdatasync p50 ${ms(broker.fdatasyncP50Ms)}, p99 ${ms(broker.fdatasyncP99Ms)}, ${count(broker.fdatasyncsOver5Ms)} of ${count(broker.fdatasyncs)} over 5 ms, ${broker.recordsPerWrite.toFixed(1)} records per write;`,
    `    event-loop delay p99 (beyond its sampling interval) ${ms(broker.eventLoopDelayP99Ms)}, GC ${ms(broker.gcMs)}, CPU ${broker.cpuSeconds.toFixed(2)} s`,
  );
  if (latency.brokerRunQueueWait) {
    const { totalMs, meanPerTimesliceMs } = latency.brokerRunQueueWait;
    lines.push(`    its main thread waited for a CPU ${ms(totalMs)} in all, ${ms(meanPerTimesliceMs)} per timeslice on average`);
  }
  const { latencySlowFlushes: slow } = results;
  lines.push(
    slow.count > 0
      ? `  (the broker logged ${count(slow.count)} fdatasync(s) over 100 ms meanwhile, the slowest ${count(slow.slowestMs)} ms: the disk stalled)`
      : '  (no fdatasync over 100 ms in the broker meanwhile)',
  );
  if (latency.failedSends > 0 || latency.received < latency.sent) {
    lines.push(`  (${latency.failedSends} sends failed; ${count(latency.received)} of ${count(latency.sent)} received)`);
  }
  const errors = [...results.produce, { name: 'latency', firstError: latency.firstError }].filter((phase) => phase.firstError);
  if (errors.length > 0) lines.push('', 'first error of each phase with failures:', ...errors.map((phase) => `  ${phase.name}: ${phase.firstError}`));
  return lines.join('\n');
}

function mb(value: number): string {
  return value.toFixed(1);
}

function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}
