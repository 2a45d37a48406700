import { tagHash } from './tag-hash';

describe('tagHash', () => {
  it('is 0 only for a missing tag', () => {
    expect(tagHash(undefined)).toBe(0);
    expect(tagHash('')).toBe(0);
    expect(tagHash('TagA')).not.toBe(0);
  });

  it('is stable and spreads distinct tags', () => {
    expect(tagHash('TagA')).toBe(tagHash('TagA'));
    const hashes = new Set(Array.from({ length: 1000 }, (_, i) => tagHash(`tag-${i}`)));
    expect(hashes.size).toBe(1000);
  });
});
