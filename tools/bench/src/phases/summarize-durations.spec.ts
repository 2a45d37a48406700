import { summarizeDurations } from './summarize-durations';

describe('summarizeDurations', () => {
  it('gives min, median and max, keeping the samples in measured order', () => {
    expect(summarizeDurations([30, 10, 20])).toEqual({ samplesMs: [30, 10, 20], minMs: 10, medianMs: 20, maxMs: 30 });
  });

  it('takes the mean of the middle two for an even count', () => {
    expect(summarizeDurations([4, 1, 3, 2]).medianMs).toBe(2.5);
  });

  it('reports zeros when nothing was measured', () => {
    expect(summarizeDurations([])).toEqual({ samplesMs: [], minMs: 0, medianMs: 0, maxMs: 0 });
  });
});
