/**
 * Histogram buckets, in seconds, for the broker's own waits (an fsync, an append, a produce):
 * fine below 5 ms, where the latency targets are, coarse up to the 1 s a stalled disk reaches.
 */
export const LATENCY_BUCKETS_SECONDS = [
  0.00025, 0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1,
];
