import { SubscriptionIdentifiers } from './subscription-identifiers';

describe('SubscriptionIdentifiers', () => {
  it('gives every matching subscription identifier, shared filters by their inner filter', () => {
    const ids = new SubscriptionIdentifiers();
    ids.set('a/+', 1);
    ids.set('a/#', 2);
    ids.set('$share/g/a/b', 3);
    ids.set('b', undefined);
    expect(ids.matching('a/b').sort()).toEqual([1, 2, 3]);
    expect(ids.matching('a/c').sort()).toEqual([1, 2]);
    expect(ids.matching('b')).toEqual([]);
    ids.set('a/+', undefined);
    ids.delete('a/#');
    expect(ids.matching('a/b')).toEqual([3]);
  });
});
