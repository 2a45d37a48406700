import { ShareFilter } from './share-filter';
import { ShareGroup } from './share-group';

describe('ShareGroup', () => {
  const groupOf = (...members: Array<[string, number, boolean]>) => {
    const group = new ShareGroup(ShareFilter.parse('$share/g/sensors/#')!);
    for (const [clientId, qos, persistent] of members) group.add(clientId, qos, persistent);
    return group;
  };
  const chooseMany = (group: ShareGroup, count: number, qos: number, online: (clientId: string) => boolean) =>
    Array.from({ length: count }, () => group.choose(qos, online)?.clientId);

  it('goes round-robin over the connected members', () => {
    const group = groupOf(['a', 1, false], ['b', 1, false], ['c', 0, true]);
    expect(chooseMany(group, 6, 1, () => true)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('skips members that are not connected, and stays fair among the rest', () => {
    const group = groupOf(['a', 1, true], ['b', 1, true], ['c', 1, true]);
    const connected = new Set(['a', 'c']);
    const chosen = Array.from({ length: 4 }, () => group.choose(1, (id) => connected.has(id)));
    expect(chosen).toEqual([
      { clientId: 'a', online: true },
      { clientId: 'c', online: true },
      { clientId: 'a', online: true },
      { clientId: 'c', online: true },
    ]);
  });

  it('with nobody connected, queues QoS 1/2 for the offline persistent members subscribed with QoS 1/2, in turn', () => {
    const group = groupOf(['clean', 1, false], ['p0', 0, true], ['p1', 1, true], ['p2', 2, true]);
    const chosen = Array.from({ length: 4 }, () => group.choose(1, () => false));
    expect(chosen).toEqual([
      { clientId: 'p1', online: false },
      { clientId: 'p2', online: false },
      { clientId: 'p1', online: false },
      { clientId: 'p2', online: false },
    ]);
  });

  it('passes over an offline member whose session no longer holds the subscription', () => {
    const group = groupOf(['expired', 1, true], ['p1', 1, true]);
    const stored = (clientId: string) => clientId !== 'expired';
    expect([group.choose(1, () => false, stored), group.choose(1, () => false, stored)]).toEqual([
      { clientId: 'p1', online: false },
      { clientId: 'p1', online: false },
    ]);
  });

  it('drops a QoS 0 message when nobody is connected, and anything when no member can queue it', () => {
    expect(groupOf(['p1', 1, true]).choose(0, () => false)).toBeUndefined();
    expect(groupOf(['clean', 2, false], ['p0', 0, true]).choose(2, () => false)).toBeUndefined();
    expect(groupOf().choose(1, () => true)).toBeUndefined();
  });

  it('keeps its turn when members leave, and updates a member that subscribes again', () => {
    const group = groupOf(['a', 1, false], ['b', 1, false], ['c', 1, false]);
    expect(group.choose(1, () => true)?.clientId).toBe('a');
    group.remove('a');
    expect(chooseMany(group, 3, 1, () => true)).toEqual(['b', 'c', 'b']);
    group.remove('c');
    group.remove('missing');
    expect(chooseMany(group, 2, 1, () => true)).toEqual(['b', 'b']);
    group.add('b', 2, true);
    expect(group.size).toBe(1);
    expect(group.qosOf('b')).toBe(2);
    expect(group.isPersistent('b')).toBe(true);
    group.remove('b');
    expect(group.size).toBe(0);
    expect(group.has('b')).toBe(false);
  });
});
