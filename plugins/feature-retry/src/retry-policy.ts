import { ConfigError, parseDuration } from '@tessera/kernel';
import type { FeatureRetryOptions } from './feature-retry-options';

/** How many times a failed message is retried, and how long each retry waits. */
export class RetryPolicy {
  readonly maxReconsumeTimes: number;
  private readonly backoffMs: readonly number[];

  constructor(options: FeatureRetryOptions) {
    this.maxReconsumeTimes = options.maxReconsumeTimes;
    this.backoffMs = options.backoff.map((text) => {
      const ms = parseDuration(text);
      if (ms === undefined) throw new ConfigError(`${JSON.stringify(text)} is not a duration such as 500ms, 10s, 1m, 2h or 1d`);
      return ms;
    });
  }

  /** The wait before retry number `retry` (1-based); past the list, its last entry. */
  backoffMsFor(retry: number): number {
    return this.backoffMs[Math.min(retry, this.backoffMs.length) - 1]!;
  }
}
