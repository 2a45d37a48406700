import type { DurationSummary } from '../phases/summarize-durations';
import type { GroupBenchResults } from './group-bench-results';
import { count } from './format-figures';

/** The table `npm run bench -- group` prints, with each target beside the figure it applies to. */
export function formatGroupResultsTable(results: GroupBenchResults): string {
  const { rebalance, longPoll, targets } = results;
  const killTargetMs = rebalance.sessionTimeoutMs + targets.killAfterSessionTimeoutMs;
  const rows: string[][] = [['event', 'min', 'median', 'max', 'target (on the max)']];
  const row = (name: string, summary: DurationSummary, target: string, verdict: (maxMs: number) => boolean) => {
    const judged = target && `${target}: ${summary.samplesMs.length === 0 ? 'not measured' : verdict(summary.maxMs) ? 'met' : 'missed'}`;
    rows.push([name, duration(summary.minMs), duration(summary.medianMs), duration(summary.maxMs), judged]);
  };
  row('a member joins', rebalance.join, '', () => true);
  row('a member leaves (shutdown)', rebalance.leave, `< ${count(targets.gracefulLeaveMs)} ms`, (max) => max < targets.gracefulLeaveMs);
  row('a member is killed (SIGKILL)', rebalance.kill, `≤ ${count(killTargetMs)} ms (session timeout + ${targets.killAfterSessionTimeoutMs / 1000} s)`, (max) => max <= killTargetMs);
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((r) => r[column]!.length)));
  const lines = [
    `rebalance until all ${rebalance.queueCount} queues are owned by live members again ` +
      `(${rebalance.memberCount} members, ${rebalance.join.samplesMs.length}/${rebalance.leave.samplesMs.length}/${rebalance.kill.samplesMs.length} runs, ` +
      `session timeout ${count(rebalance.sessionTimeoutMs)} ms, heartbeat ${count(rebalance.heartbeatIntervalMs)} ms, ${count(rebalance.trickleMessagesPerSecond)} msgs/s trickle):`,
    ...rows.map((r) => r.map((cell, column) => (column === 0 || column === 4 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd()),
  ];
  lines.splice(2, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  // Under SYNC a message may reach consumers only once it is durable, which is also when its
  // producer gets the ack: the long poll's own part is what comes after that ack.
  const p99Verdict = longPoll.recorded === 0 ? 'not measured' : longPoll.afterAckP99Ms < targets.longPollWakeupP99Ms ? 'met' : 'missed';
  lines.push(
    '',
    `long-poll wake-up: a parked pull answered once the message is durable (${count(longPoll.recorded)} samples, one every ${longPoll.gapMs} ms, SYNC broker):`,
    `  delivery after the store's ack:        p50 ${ms(longPoll.afterAckP50Ms)}  p99 ${ms(longPoll.afterAckP99Ms)}  max ${ms(longPoll.afterAckMaxMs)}   target p99 < ${targets.longPollWakeupP99Ms} ms: ${p99Verdict}`,
    `  for reference, send to listener:       p50 ${ms(longPoll.p50Ms)}  p99 ${ms(longPoll.p99Ms)}  max ${ms(longPoll.maxMs)}`,
    `  of which the send (store + fsync + ack): p50 ${ms(longPoll.sendAckP50Ms)}  p99 ${ms(longPoll.sendAckP99Ms)}  max ${ms(longPoll.sendAckMaxMs)}`,
  );
  if (longPoll.lost > 0) lines.push(`  (${count(longPoll.lost)} samples lost)`);
  const errors = [
    { name: 'rebalance', firstError: rebalance.firstError },
    { name: 'long-poll wake-up', firstError: longPoll.firstError },
  ].filter((phase) => phase.firstError);
  if (errors.length > 0) lines.push('', 'first error of each phase with failures:', ...errors.map((phase) => `  ${phase.name}: ${phase.firstError}`));
  return lines.join('\n');
}

function duration(valueMs: number): string {
  return `${count(valueMs)} ms`;
}

function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}
