import type { DelayBenchResults } from './delay-bench-results';
import { count } from './format-figures';

/** The table `npm run bench -- delay` prints, with each target beside the figure it applies to. */
export function formatDelayResultsTable(results: DelayBenchResults): string {
  const { scheduling: s, restart: r, lateness: l, targets } = results;
  const verdict = (met: boolean, measured: boolean) => (!measured ? 'not measured' : met ? 'met' : 'missed');
  const lines = [
    `scheduling: ${count(s.scheduled)} messages of ${s.bodyBytes} B due over ${minutes(s.windowMs)} starting in ${minutes(s.leadMs)} ` +
      `(batches of ${s.batchSize}, ${s.producerCount} producers × ${s.batchesInFlightPerProducer} in flight, SYNC broker):`,
    `  throughput                ${count(s.msgsPerSec)} msgs/s (${s.seconds.toFixed(1)} s)`,
    `  broker RSS                before ${mib(s.rssBeforeMiB)}, max ${mib(s.rssMaxMiB)}, ${s.settleMs / 1000} s after ${mib(s.rssAfterMiB)}` +
      `   target < ${targets.rssMiB} MiB: ${verdict(s.rssMaxMiB < targets.rssMiB, s.scheduled > 0)}`,
    `  restart with the backlog  stop ${count(r.stopMs)} ms, start ${count(r.startMs)} ms, RSS after start ${mib(r.rssAfterStartMiB)}; ` +
      `timer index ${mib(r.timerIndexBytes / 2 ** 20)} in ${count(r.timerBucketFiles)} bucket files`,
    '',
    `delivery lateness: ${count(l.perSecond)} msgs/s falling due over ${l.windowMs / 1000} s (${count(l.scheduled)} scheduled ` +
      `${(l.scheduledAheadMs / 1000).toFixed(1)} s before the window), arrival at a PushConsumer − due time:`,
    `  p50 ${ms(l.p50Ms)}  p99 ${ms(l.p99Ms)}  max ${ms(l.maxMs)}   target p99 < ${count(targets.latenessP99Ms)} ms: ${verdict(l.p99Ms < targets.latenessP99Ms, l.received > 0)}`,
    `  stored in the topic − due time: p99 ${ms(l.storedP99Ms)}`,
    `  received ${count(l.received)} of ${count(l.scheduled)}, ${count(l.duplicates)} twice, ${count(l.early)} before due`,
  ];
  const errors = [
    { name: 'scheduling', firstError: s.firstError },
    { name: 'lateness', firstError: l.firstError },
  ].filter((phase) => phase.firstError);
  if (errors.length > 0) lines.push('', 'first error of each phase with failures:', ...errors.map((phase) => `  ${phase.name}: ${phase.firstError}`));
  return lines.join('\n');
}

function mib(value: number): string {
  return `${value.toFixed(0)} MiB`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function minutes(valueMs: number): string {
  return valueMs % 60_000 === 0 ? `${valueMs / 60_000} min` : `${valueMs / 1000} s`;
}
