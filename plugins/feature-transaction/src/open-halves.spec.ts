import type { OpenHalf } from './open-half';
import { OpenHalves } from './open-halves';

const half = (queueOffset: number, nextCheckAt: number, checks = 0): OpenHalf => ({
  msgId: `m${queueOffset}`,
  queueOffset,
  transactionId: `tx${queueOffset}`,
  producerGroup: 'pg',
  storeTimestamp: nextCheckAt - 100,
  checks,
  nextCheckAt,
});

describe('OpenHalves', () => {
  it('hands out the halves due, each once per interval, and forgets deleted ones', () => {
    const open = new OpenHalves(1_000);
    open.add(half(0, 100));
    open.add(half(1, 200));
    open.add(half(2, 300));
    open.add(half(3, 150, 2));
    expect(open.takeDue(99)).toEqual([]);
    expect(open.takeDue(200).map((h) => h.msgId)).toEqual(['m0', 'm1', 'm3']);
    expect(open.takeDue(250)).toEqual([]);
    open.delete('m1');
    expect(open.takeDue(1_200).map((h) => [h.msgId, h.nextCheckAt])).toEqual([['m2', 2_200], ['m0', 2_200], ['m3', 2_200]]);
    expect([...open.values()].map((h) => h.msgId)).toEqual(['m0', 'm2', 'm3']);
    expect(open.size).toBe(3);
  });

  it('keeps the first copy of a half added twice', () => {
    const open = new OpenHalves(1_000);
    open.add(half(0, 100));
    open.add({ ...half(0, 100), checks: 5 });
    expect(open.get('m0')!.checks).toBe(0);
    expect(open.size).toBe(1);
  });
});
