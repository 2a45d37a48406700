import type { Histogram } from 'hdr-histogram-js';

/** The latency percentiles every latency phase reports, in ms. */
export interface LatencyFigures {
  /** Latencies recorded (after the warm-up). */
  recorded: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** The figures of a histogram recorded in microseconds. */
export function latencyFiguresOf(histogram: Histogram): LatencyFigures {
  const ms = (percentile: number) => histogram.getValueAtPercentile(percentile) / 1000;
  return { recorded: histogram.totalCount, p50Ms: ms(50), p99Ms: ms(99), p999Ms: ms(99.9), maxMs: histogram.maxValue / 1000 };
}
