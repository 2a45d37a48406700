import { RecentLogCache } from './recent-log-cache';

describe('RecentLogCache', () => {
  const bytes = (from: number, length: number): Buffer => Buffer.from(Array.from({ length }, (_, i) => (from + i) % 251));

  it('serves the newest bytes, across the ring wrap, and nothing older than its capacity', () => {
    const cache = new RecentLogCache(100);
    cache.reset(1000);
    for (let position = 1000; position < 1330; position += 30) cache.add(position, bytes(position, 30));
    expect(cache.copy(1260, 70)).toEqual(bytes(1260, 70));
    expect(cache.copy(1235, 40)).toEqual(bytes(1235, 40));
    expect(cache.copy(1229, 10)).toBeUndefined();
    expect(cache.copy(1300, 31)).toBeUndefined();
  });

  it('starts over after a jump larger than its capacity and keeps only the tail of an oversized add', () => {
    const cache = new RecentLogCache(64);
    cache.reset(0);
    cache.add(0, bytes(0, 40));
    cache.add(500, bytes(500, 10));
    expect(cache.copy(0, 10)).toBeUndefined();
    expect(cache.copy(500, 10)).toEqual(bytes(500, 10));
    cache.add(510, bytes(510, 200));
    expect(cache.copy(646, 64)).toEqual(bytes(646, 64));
    expect(cache.copy(645, 2)).toBeUndefined();
  });

  it('holds nothing when its capacity is 0', () => {
    const cache = new RecentLogCache(0);
    cache.add(0, bytes(0, 10));
    expect(cache.copy(0, 1)).toBeUndefined();
  });
});
