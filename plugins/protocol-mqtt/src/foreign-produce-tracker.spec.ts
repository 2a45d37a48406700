import type { AppendMessage, AppendResult } from '@tessera/kernel';
import { ForeignProduceTracker } from './foreign-produce-tracker';

const message = (queueId: number): AppendMessage => ({ topic: 't', queueId, body: Buffer.from('x'), bornTimestamp: 0, flag: 0, reconsumeTimes: 0 });
const stored = (queueId: number, queueOffset: number): AppendResult => ({
  msgId: 'id',
  topic: 't',
  queueId,
  queueOffset,
  commitLogOffset: 0,
  storeTimestamp: 0,
  storeSize: 1,
});

describe('ForeignProduceTracker', () => {
  it('ignores what MQTT itself writes', () => {
    const tracker = new ForeignProduceTracker();
    const batch = [message(0)];
    tracker.onProduce(batch, { protocol: 'mqtt' });
    expect(tracker.mayMeetForeign('t', 0, 0)).toBe(false);
    tracker.onProduceEnd(batch, { protocol: 'mqtt' }, [stored(0, 0)]);
    expect(tracker.mayMeetForeign('t', 0, 0)).toBe(false);
  });

  it('counts another protocol’s batch per queue while it is on its way, then remembers where it landed', () => {
    const tracker = new ForeignProduceTracker();
    const batch = [message(0), message(0), message(1)];
    tracker.onProduce(batch, { protocol: 'native' });
    expect(tracker.mayMeetForeign('t', 0, 100)).toBe(true);
    expect(tracker.mayMeetForeign('t', 1, 100)).toBe(true);
    expect(tracker.mayMeetForeign('t', 2, 0)).toBe(false);
    tracker.onProduceEnd(batch, { protocol: 'native' }, [stored(0, 4), stored(0, 5), stored(1, 0)]);
    expect(tracker.mayMeetForeign('t', 0, 5)).toBe(true);
    expect(tracker.mayMeetForeign('t', 0, 6)).toBe(false);
    expect(tracker.mayMeetForeign('t', 1, 0)).toBe(true);
    expect(tracker.mayMeetForeign('t', 1, 1)).toBe(false);
  });

  it('forgets a refused batch, and a batch whose onProduce it never saw', () => {
    const tracker = new ForeignProduceTracker();
    const refused = [message(0)];
    tracker.onProduce(refused, { protocol: 'amqp' });
    tracker.onProduceEnd(refused, { protocol: 'amqp' }, undefined);
    expect(tracker.mayMeetForeign('t', 0, 0)).toBe(false);
    tracker.onProduceEnd([message(0)], { protocol: 'amqp' }, [stored(0, 9)]);
    expect(tracker.mayMeetForeign('t', 0, 0)).toBe(false);
  });

  it('wakes a waiter when another protocol begins to write to its queue, else after the timeout or on abort', async () => {
    const tracker = new ForeignProduceTracker();
    const controller = new AbortController();
    let woken = false;
    const waiting = tracker.waitForForeign('t', 0, 10_000, controller.signal).then(() => (woken = true));
    tracker.onProduce([message(1)], { protocol: 'native' });
    tracker.onProduce([message(0)], { protocol: 'mqtt' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(woken).toBe(false);
    tracker.onProduce([message(0)], { protocol: 'native' });
    await waiting;
    const startedAt = Date.now();
    await tracker.waitForForeign('t', 3, 30, controller.signal);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(25);
    const aborted = tracker.waitForForeign('t', 3, 10_000, controller.signal);
    controller.abort();
    await aborted;
  });
});
