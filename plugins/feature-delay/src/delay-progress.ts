/**
 * How far the timer index and delivery got, written atomically to dataDir/delay/progress.json
 * after the bucket files it vouches for are synced.
 */
export interface DelayProgress {
  version: 1;
  /** Every parked message below this delay-topic offset has its timer entry in a synced bucket file. */
  indexedOffset: number;
  /** Every entry below `indexedOffset` ordering before this one (fire time, then offset) has been handled. */
  handledBefore: { fireAt: number; offset: number };
  /** Entries firing at or before this may have been handled after this record: check before handling them again. */
  uncertainUntil: number;
}
