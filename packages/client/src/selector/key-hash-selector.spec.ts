import { keyHashSelector } from './key-hash-selector';
import { roundRobinSelector } from './round-robin-selector';

describe('queue selectors', () => {
  it('keyHashSelector maps a key to the same queue every time and spreads keys', () => {
    const queueOf = (key: string) => keyHashSelector(8, { topic: 't', body: '' }, key);
    expect(queueOf('order-42')).toBe(queueOf('order-42'));
    expect(keyHashSelector(8, { topic: 't', body: '', keys: ['order-42', 'x'] })).toBe(queueOf('order-42'));
    const used = new Set(Array.from({ length: 200 }, (_, i) => queueOf(`order-${i}`)));
    expect(used.size).toBe(8);
  });

  it('roundRobinSelector visits every queue in turn', () => {
    const select = roundRobinSelector();
    const picks = Array.from({ length: 8 }, () => select(4, { topic: 't', body: '' }));
    expect(new Set(picks).size).toBe(4);
    expect(picks[4]).toBe(picks[0]);
  });
});
