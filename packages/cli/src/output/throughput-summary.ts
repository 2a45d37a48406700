const BYTES_PER_MB = 1_000_000;

export interface ThroughputSummary {
  count: number;
  bytes: number;
  seconds: number;
  msgsPerSec: number;
  /** Megabytes (10^6 bytes) of message body per second. */
  mbPerSec: number;
}

export function summarizeThroughput(count: number, bytes: number, elapsedMs: number): ThroughputSummary {
  const seconds = Math.max(elapsedMs, 1) / 1000;
  return {
    count,
    bytes,
    seconds: round(seconds, 3),
    msgsPerSec: Math.round(count / seconds),
    mbPerSec: round(bytes / BYTES_PER_MB / seconds, 2),
  };
}

/** The one line `produce` and `consume` end with: readable, or one JSON object with `--json`. */
export function formatThroughputSummary(verb: 'produced' | 'consumed', summary: ThroughputSummary, json: boolean): string {
  if (json) return JSON.stringify(summary);
  const megabytes = round(summary.bytes / BYTES_PER_MB, 2);
  return `${verb} ${summary.count} messages (${megabytes} MB) in ${summary.seconds} s: ${summary.msgsPerSec} msgs/s, ${summary.mbPerSec} MB/s`;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
