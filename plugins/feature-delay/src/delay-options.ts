export const DelayOptions = Symbol.for('tessera.feature-delay.DelayOptions');

export interface DelayOptions {
  /** Delay level N (1-based) waits `levels[N-1]`: a number and a unit, `ms`, `s`, `m`, `h` or `d`. */
  levels: string[];
  /** The longest delay a message may ask for, in ms. */
  maxDelayMs: number;
  /** Width of a timer-index bucket file, in ms: one bucket is in memory at a time (two near its end). */
  bucketMs: number;
  /**
   * A message due later than this after it was parked is parked again (a fresh copy in the log)
   * after this long, so storage retention never deletes a scheduled message. Keep it well below
   * the store's retention.
   */
  rollAfterMs: number;
}

export const DEFAULT_DELAY_LEVELS = ['1s', '5s', '10s', '30s', '1m', '2m', '3m', '4m', '5m', '6m', '7m', '8m', '9m', '10m', '20m', '30m', '1h', '2h'];

const DAY_MS = 86_400_000;

export const delayOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    levels: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 1000, default: DEFAULT_DELAY_LEVELS },
    maxDelayMs: { type: 'integer', minimum: 1000, maximum: 3650 * DAY_MS, default: 40 * DAY_MS },
    bucketMs: { type: 'integer', minimum: 1000, maximum: DAY_MS, default: 60_000 },
    rollAfterMs: { type: 'integer', minimum: 60_000, default: DAY_MS },
  },
} as const;
