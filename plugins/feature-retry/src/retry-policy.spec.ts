import { RetryPolicy } from './retry-policy';

describe('RetryPolicy', () => {
  it('waits the n-th backoff for the n-th retry, and the last one past the list', () => {
    const policy = new RetryPolicy({ maxReconsumeTimes: 16, backoff: ['1s', '30s', '2m'] });
    expect([1, 2, 3, 4, 16].map((retry) => policy.backoffMsFor(retry))).toEqual([1000, 30_000, 120_000, 120_000, 120_000]);
  });
});
