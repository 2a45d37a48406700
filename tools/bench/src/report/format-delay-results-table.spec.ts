import type { DelayBenchResults } from './delay-bench-results';
import { formatDelayResultsTable } from './format-delay-results-table';

const results: DelayBenchResults = {
  suite: 'delay',
  startedAt: '2026-11-22T01:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 24, node: 'v20.20.0' },
  quick: false,
  targets: { rssMiB: 300, latenessP99Ms: 1_000 },
  scheduling: {
    messages: 1_000_000,
    windowMs: 600_000,
    leadMs: 60_000,
    bodyBytes: 64,
    batchSize: 500,
    producerCount: 2,
    batchesInFlightPerProducer: 4,
    settleMs: 5_000,
    scheduled: 1_000_000,
    failedBatches: 0,
    seconds: 8.5,
    msgsPerSec: 117_647,
    rssBeforeMiB: 79,
    rssMaxMiB: 251.4,
    rssAfterMiB: 240,
  },
  restart: { stopMs: 30, startMs: 900, rssAfterStartMiB: 95, timerIndexBytes: 16_000_000, timerBucketFiles: 11 },
  lateness: {
    perSecond: 10_000,
    windowMs: 10_000,
    leadMs: 15_000,
    bodyBytes: 64,
    batchSize: 500,
    batchesInFlight: 8,
    scheduled: 100_000,
    scheduledAheadMs: 13_800,
    received: 99_999,
    duplicates: 0,
    p50Ms: 3,
    p99Ms: 1_200,
    maxMs: 1_500,
    early: 0,
    storedP99Ms: 40,
  },
};

describe('formatDelayResultsTable', () => {
  it('prints each figure with its target and verdict', () => {
    const table = formatDelayResultsTable(results);
    expect(table).toContain('scheduling: 1,000,000 messages of 64 B due over 10 min starting in 1 min');
    expect(table).toContain('throughput                117,647 msgs/s (8.5 s)');
    expect(table).toContain('broker RSS                before 79 MiB, max 251 MiB, 5 s after 240 MiB   target < 300 MiB: met');
    expect(table).toContain('restart with the backlog  stop 30 ms, start 900 ms, RSS after start 95 MiB; timer index 15 MiB in 11 bucket files');
    expect(table).toContain('p50 3.0 ms  p99 1200.0 ms  max 1500.0 ms   target p99 < 1,000 ms: missed');
    expect(table).toContain('received 99,999 of 100,000, 0 twice, 0 before due');
    expect(table).not.toContain('first error');
  });

  it('says a phase that measured nothing was not measured, and shows its first error', () => {
    const broken = { ...results, lateness: { ...results.lateness, received: 0, firstError: 'connection refused' } };
    const table = formatDelayResultsTable(broken);
    expect(table).toContain('target p99 < 1,000 ms: not measured');
    expect(table).toContain('  lateness: connection refused');
  });
});
