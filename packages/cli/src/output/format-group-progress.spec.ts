import { formatGroupProgress } from './format-group-progress';

describe('formatGroupProgress', () => {
  it('prints committed, max, lag and owner per queue and a total lag line', () => {
    expect(
      formatGroupProgress([
        { topic: 'orders', queueId: 0, committedOffset: 5, minOffset: 0, maxOffset: 8, lag: 3, owner: 'c-1' },
        { topic: 'orders', queueId: 1, minOffset: 0, maxOffset: 2, lag: 2 },
      ]),
    ).toEqual(['orders\tqueue 0\tcommitted=5\tmax=8\tlag=3\towner=c-1', 'orders\tqueue 1\tcommitted=-\tmax=2\tlag=2\towner=-', 'total lag=5']);
  });

  it('says the total lag is 0 when the group has no queues', () => {
    expect(formatGroupProgress([])).toEqual(['total lag=0']);
  });
});
