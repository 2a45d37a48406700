import { formatThroughputSummary, summarizeThroughput } from './throughput-summary';

describe('throughput summary', () => {
  it('computes rates from count, body bytes and elapsed time', () => {
    expect(summarizeThroughput(1000, 1_024_000, 500)).toEqual({
      count: 1000,
      bytes: 1_024_000,
      seconds: 0.5,
      msgsPerSec: 2000,
      mbPerSec: 2.05,
    });
  });

  it('never divides by zero for an instant run', () => {
    expect(summarizeThroughput(1, 10, 0).msgsPerSec).toBe(1000);
  });

  it('prints a readable line, or one JSON object with --json', () => {
    const summary = summarizeThroughput(1000, 2_000_000, 2000);
    expect(formatThroughputSummary('produced', summary, false)).toBe('produced 1000 messages (2 MB) in 2 s: 500 msgs/s, 1 MB/s');
    expect(JSON.parse(formatThroughputSummary('consumed', summary, true))).toEqual({
      count: 1000,
      bytes: 2_000_000,
      seconds: 2,
      msgsPerSec: 500,
      mbPerSec: 1,
    });
  });
});
