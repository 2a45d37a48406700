import type { LongPollWakeupResult } from '../phases/measure-long-poll-wakeup';
import type { RebalanceResult } from '../phases/measure-rebalance';
import type { BenchResults } from './bench-results';

/** What the `group` suite measured; written as JSON to bench-results/. */
export interface GroupBenchResults {
  suite: 'group';
  startedAt: string;
  machine: BenchResults['machine'];
  targets: {
    /** Rebalance after a graceful leave, at most. */
    gracefulLeaveMs: number;
    /** Rebalance after a kill: within the session timeout plus this. */
    killAfterSessionTimeoutMs: number;
    longPollWakeupP99Ms: number;
  };
  rebalance: RebalanceResult;
  longPoll: LongPollWakeupResult;
}
