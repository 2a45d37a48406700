import { DURATION_PATTERN } from '@tessera/kernel';

export interface FeatureRetryOptions {
  /** Retries through `%RETRY%<group>` before a failed message goes to `%DLQ%<group>`. */
  maxReconsumeTimes: number;
  /** The n-th retry waits backoff[min(n, length) - 1], e.g. `10s`, `1m`, `2h`. */
  backoff: string[];
}

/** RocketMQ's retry levels: its delay levels from 10s on. */
export const DEFAULT_BACKOFF = ['10s', '30s', '1m', '2m', '3m', '4m', '5m', '6m', '7m', '8m', '9m', '10m', '20m', '30m', '1h', '2h'];

export const featureRetryOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    maxReconsumeTimes: { type: 'integer', minimum: 0, maximum: 1000, default: 16 },
    backoff: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', pattern: DURATION_PATTERN },
      default: DEFAULT_BACKOFF,
    },
  },
} as const;
