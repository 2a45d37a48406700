import { summarizeDurations } from '../phases/summarize-durations';
import { formatGroupResultsTable } from './format-group-results-table';
import type { GroupBenchResults } from './group-bench-results';

const results: GroupBenchResults = {
  suite: 'group',
  startedAt: '2026-11-22T01:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 24, node: 'v20.20.0' },
  targets: { gracefulLeaveMs: 1_000, killAfterSessionTimeoutMs: 1_000, longPollWakeupP99Ms: 2 },
  rebalance: {
    queueCount: 8,
    memberCount: 3,
    repetitions: 3,
    sessionTimeoutMs: 3_000,
    heartbeatIntervalMs: 1_000,
    trickleMessagesPerSecond: 100,
    join: summarizeDurations([120, 80, 100]),
    leave: summarizeDurations([300, 1_200, 250]),
    kill: summarizeDurations([3_400, 3_600, 3_500]),
    failedTrickleSends: 0,
  },
  longPoll: {
    samples: 2_000,
    warmupSamples: 50,
    gapMs: 5,
    recorded: 2_000,
    lost: 0,
    p50Ms: 0.45,
    p99Ms: 1.5,
    maxMs: 4.2,
    sendAckP50Ms: 0.3,
    sendAckP99Ms: 0.9,
    sendAckMaxMs: 3,
    afterAckP50Ms: 0.12,
    afterAckP99Ms: 0.4,
    afterAckMaxMs: 1.1,
  },
};

describe('formatGroupResultsTable', () => {
  const table = formatGroupResultsTable(results);
  const lineOf = (start: string) => table.split('\n').find((line) => line.startsWith(start)) ?? '';

  it('prints min, median and max of each rebalance event', () => {
    expect(lineOf('a member joins')).toMatch(/80 ms\s+100 ms\s+120 ms$/);
    expect(table).toContain('all 8 queues are owned by live members again (3 members, 3/3/3 runs, session timeout 3,000 ms');
  });

  it('judges the leave against 1 s and the kill against the session timeout + 1 s, on the max', () => {
    expect(lineOf('a member leaves (shutdown)')).toMatch(/250 ms\s+300 ms\s+1,200 ms\s+< 1,000 ms: missed$/);
    expect(lineOf('a member is killed (SIGKILL)')).toMatch(/3,400 ms\s+3,500 ms\s+3,600 ms\s+≤ 4,000 ms \(session timeout \+ 1 s\): met$/);
  });

  it('judges the long-poll wake-up on the delivery after the store\'s ack, with send-to-listener for reference', () => {
    expect(table).toContain('long-poll wake-up: a parked pull answered once the message is durable (2,000 samples, one every 5 ms, SYNC broker):');
    expect(table).toContain("delivery after the store's ack:        p50 0.12 ms  p99 0.40 ms  max 1.10 ms   target p99 < 2 ms: met");
    expect(table).toContain('for reference, send to listener:       p50 0.45 ms  p99 1.50 ms  max 4.20 ms');
    expect(table).toContain('of which the send (store + fsync + ack): p50 0.30 ms  p99 0.90 ms  max 3.00 ms');
  });

  it('says what was not measured and why', () => {
    const broken = formatGroupResultsTable({
      ...results,
      rebalance: { ...results.rebalance, kill: summarizeDurations([]), firstError: 'member-3 exited' },
      longPoll: { ...results.longPoll, recorded: 0, lost: 2_050, firstError: 'no queue' },
    });
    expect(broken.split('\n').find((line) => line.startsWith('a member is killed'))).toMatch(/: not measured$/);
    expect(broken).toContain('target p99 < 2 ms: not measured');
    expect(broken).toContain('(2,050 samples lost)');
    expect(broken).toContain('first error of each phase with failures:\n  rebalance: member-3 exited\n  long-poll wake-up: no queue');
  });
});
