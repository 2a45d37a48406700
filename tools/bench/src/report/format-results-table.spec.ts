import type { BenchResults } from './bench-results';
import { formatResultsTable } from './format-results-table';

const load = { producerCount: 4, requestsInFlightPerProducer: 4, messageBytes: 1024, durationMs: 10_000 };

const results: BenchResults = {
  suite: 'native',
  startedAt: '2026-11-21T23:00:00.000Z',
  machine: { cpus: 2, cpuModel: 'test', memoryGiB: 24, node: 'v20.20.0' },
  phaseMs: 10_000,
  targets: { batchedSyncMsgsPerSec: 200_000, latencyP99Ms: 5, latencyRate: 10_000 },
  disk: { chunkBytes: 1024 * 1024, bytesWritten: 7e9, seconds: 10, mbPerSec: 700, equivalentMsgsPerSec: 683_593.75 },
  produce: [
    { name: 'produce batched, SYNC', flush: 'SYNC', batchSize: 128, autoBatch: false, ...load, ackedMessages: 2_500_000, failedRequests: 0, seconds: 10, msgsPerSec: 250_000, mbPerSec: 256 },
    { name: 'produce unbatched, SYNC', flush: 'SYNC', batchSize: 1, autoBatch: false, ...load, ackedMessages: 400_000, failedRequests: 3, firstError: 'request timed out after 3000 ms', seconds: 10, msgsPerSec: 40_000, mbPerSec: 40.96 },
    { name: 'produce batched, ASYNC', flush: 'ASYNC', batchSize: 128, autoBatch: false, ...load, ackedMessages: 1_500_000, failedRequests: 0, seconds: 10, msgsPerSec: 150_000, mbPerSec: 153.6 },
  ],
  latency: {
    messagesPerSecond: 10_000,
    messageBytes: 1024,
    queueCount: 8,
    durationMs: 10_000,
    warmupMs: 1_000,
    sent: 100_000,
    received: 100_000,
    recorded: 90_000,
    failedSends: 0,
    achievedRate: 9_998,
    p50Ms: 0.9,
    p99Ms: 6.2,
    p999Ms: 9,
    maxMs: 15.5,
    producerEventLoopDelayP99Ms: 1.2,
    consumerEventLoopDelayP99Ms: 1.3,
    broker: {
      produceRequests: 90_000,
      produceP50Ms: 0.62,
      produceP99Ms: 3.1,
      fdatasyncs: 8_000,
      fdatasyncP50Ms: 0.4,
      fdatasyncP99Ms: 2.5,
      fdatasyncsOver5Ms: 12,
      recordsPerWrite: 11.25,
      eventLoopDelayP99Ms: 1.9,
      gcMs: 140,
      cpuSeconds: 4.5,
    },
    brokerRunQueueWait: { totalMs: 812.5, meanPerTimesliceMs: 0.125 },
  },
  latencySlowFlushes: { count: 0, slowestMs: 0 },
};

describe('formatResultsTable', () => {
  const table = formatResultsTable(results);
  const lineOf = (start: string) => table.split('\n').find((line) => line.startsWith(start)) ?? '';

  it('prints each phase with msgs/s and MB/s', () => {
    expect(lineOf("disk ceiling")).toMatch(/683,594\s+700\.0$/);
    expect(lineOf('produce unbatched, SYNC (3 requests failed)')).toMatch(/40,000\s+41\.0$/);
  });

  it('judges the batched SYNC phase against its target, and only that one', () => {
    expect(lineOf('produce batched, SYNC')).toMatch(/250,000\s+256\.0\s+≥ 200,000 msgs\/s: met$/);
    expect(lineOf('produce batched, ASYNC')).not.toContain('target');
    expect(lineOf('produce batched, ASYNC')).not.toContain('met');
  });

  it('prints latency percentiles with the p99 target', () => {
    expect(table).toContain('p50 0.90 ms  p99 6.20 ms  p99.9 9.00 ms  max 15.50 ms   target p99 ≤ 5 ms: missed');
    expect(table).toContain('at 10,000 msgs/s (achieved 9,998, 90,000 recorded, SYNC)');
    expect(table).toContain('producer thread 1.20 ms, consumer thread 1.30 ms');
    expect(table).toContain('(no fdatasync over 100 ms in the broker meanwhile)');
  });

  it('sets what the broker saw beside the latency: its produce time, the fdatasyncs, its event loop', () => {
    expect(table).toContain('inside the broker meanwhile: produce request to ack p50 0.62 ms, p99 3.10 ms (90,000 requests);');
    expect(table).toContain('fdatasync p50 0.40 ms, p99 2.50 ms, 12 of 8,000 over 5 ms, 11.3 records per write;');
    expect(table).toContain('event-loop delay p99 (beyond its sampling interval) 1.90 ms, GC 140.00 ms, CPU 4.50 s');
    expect(table).toContain('its main thread waited for a CPU 812.50 ms in all, 0.13 ms per timeslice on average');
  });

  it('says when the disk stalled the latency phase', () => {
    const stalled = formatResultsTable({ ...results, latencySlowFlushes: { count: 7, slowestMs: 312 } });
    expect(stalled).toContain('(the broker logged 7 fdatasync(s) over 100 ms meanwhile, the slowest 312 ms: the disk stalled)');
  });

  it('lists the first error of each phase that had failures', () => {
    expect(table).toContain('first error of each phase with failures:\n  produce unbatched, SYNC: request timed out after 3000 ms');
  });

  it('does not judge latency when nothing was recorded', () => {
    const empty = formatResultsTable({ ...results, latency: { ...results.latency, recorded: 0, p99Ms: 0, firstError: 'broken' } });
    expect(empty).toContain('target p99 ≤ 5 ms: not measured');
    expect(empty).toContain('  latency: broken');
  });
});
