/** A handful of measured durations, with the figures the report prints. */
export interface DurationSummary {
  samplesMs: number[];
  minMs: number;
  medianMs: number;
  maxMs: number;
}

/** Min, median (the mean of the middle two for an even count) and max; all 0 without samples. */
export function summarizeDurations(samplesMs: readonly number[]): DurationSummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  if (sorted.length === 0) return { samplesMs: [], minMs: 0, medianMs: 0, maxMs: 0 };
  const middle = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { samplesMs: [...samplesMs], minMs: sorted[0]!, medianMs, maxMs: sorted.at(-1)! };
}
