import { LiveProducers } from './live-producers';

describe('LiveProducers', () => {
  it('answers a held poll once with every check dispatched in the same tick', async () => {
    const producers = new LiveProducers(10_000);
    const poll = producers.poll('pg', 'p1', 5_000);
    for (let i = 0; i < 3; i++) expect(producers.dispatch('pg', `m${i}`, Date.now())).toBe(true);
    expect(await poll).toEqual(['m0', 'm1', 'm2']);
  });

  it('keeps checks for a producer between its polls, and stops sending any once it is no longer live', async () => {
    const producers = new LiveProducers(100);
    expect(await producers.poll('pg', 'p1', 0)).toEqual([]);
    expect(producers.dispatch('pg', 'm0', Date.now())).toBe(true);
    expect(await producers.poll('pg', 'p1', 0)).toEqual(['m0']);
    expect(producers.dispatch('pg', 'm1', Date.now() + 101)).toBe(false);
    expect(producers.dispatch('other', 'm1', Date.now())).toBe(false);
  });

  it('forgets a producer whose held poll was aborted (its connection closed)', async () => {
    const producers = new LiveProducers(10_000);
    const closed = new AbortController();
    const poll = producers.poll('pg', 'p1', 5_000, closed.signal);
    closed.abort();
    expect(await poll).toEqual([]);
    expect(producers.dispatch('pg', 'm0', Date.now())).toBe(false);
  });

  it('answers an older poll of the same producer empty when a newer one comes', async () => {
    const producers = new LiveProducers(10_000);
    const older = producers.poll('pg', 'p1', 5_000);
    const newer = producers.poll('pg', 'p1', 5_000);
    expect(await older).toEqual([]);
    producers.dispatch('pg', 'm0', Date.now());
    expect(await newer).toEqual(['m0']);
  });
});
