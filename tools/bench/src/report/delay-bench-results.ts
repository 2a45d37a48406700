import type { DelaySchedulingResult } from '../phases/measure-delay-scheduling';
import type { DeliveryLatenessResult } from '../phases/measure-delivery-lateness';
import type { BenchResults } from './bench-results';

/** What the `delay` suite measured; written as JSON to bench-results/. */
export interface DelayBenchResults {
  suite: 'delay';
  startedAt: string;
  machine: BenchResults['machine'];
  quick: boolean;
  targets: { rssMiB: number; latenessP99Ms: number };
  scheduling: DelaySchedulingResult;
  /** The broker stopped and started again with everything still scheduled. */
  restart: { stopMs: number; startMs: number; rssAfterStartMiB: number; timerIndexBytes: number; timerBucketFiles: number };
  lateness: DeliveryLatenessResult;
}
