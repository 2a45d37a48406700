import type { DiskCeiling } from '../phases/measure-disk-ceiling';
import type { LatencyResult } from '../phases/measure-latency';
import type { ProduceThroughput } from '../phases/measure-produce-throughput';
import type { SlowFlushes } from './slow-flushes-in';

export interface ProducePhaseResult extends ProduceThroughput {
  name: string;
  flush: 'SYNC' | 'ASYNC';
}

/** Everything one bench run measured; written as JSON to bench-results/. */
export interface BenchResults {
  suite: string;
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  phaseMs: number;
  targets: { batchedSyncMsgsPerSec: number; latencyP99Ms: number; latencyRate: number };
  disk: DiskCeiling;
  produce: ProducePhaseResult[];
  latency: LatencyResult;
  /** fdatasyncs over 100 ms the latency phase's broker logged: stalls of the disk, not of the broker. */
  latencySlowFlushes: SlowFlushes;
}
