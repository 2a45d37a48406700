import type { OffsetResetTarget } from '@tessera/client';
import { CliUsageError } from './cli-usage-error';

export interface ResetTargetOptions {
  toOffset?: number;
  /** Epoch ms, from `--to-time`. */
  toTime?: number;
}

/** `reset-offset` moves a group to exactly one of `--to-offset N` and `--to-time ISO`. */
export function resolveResetTarget(options: ResetTargetOptions): OffsetResetTarget {
  if (options.toOffset !== undefined && options.toTime !== undefined) throw new CliUsageError('use either --to-offset or --to-time, not both');
  if (options.toOffset !== undefined) return { toOffset: options.toOffset };
  if (options.toTime !== undefined) return { toTimestamp: options.toTime };
  throw new CliUsageError('reset-offset needs --to-offset N or --to-time ISO-8601');
}
