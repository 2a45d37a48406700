import { PullWaiters } from './pull-waiters';

describe('PullWaiters', () => {
  it('wakes the waiters of the notified queue only', async () => {
    const waiters = new PullWaiters();
    const onQueue0 = waiters.wait('t', 0, 5000);
    const onQueue1 = waiters.wait('t', 1, 50);
    waiters.notify('t', 0);
    await expect(onQueue0).resolves.toBe(true);
    await expect(onQueue1).resolves.toBe(false);
    expect(waiters.size).toBe(0);
  });

  it('answers false on timeout and on abort, and forgets the waiter', async () => {
    const waiters = new PullWaiters();
    const controller = new AbortController();
    const aborted = waiters.wait('t', 0, 5000, controller.signal);
    controller.abort();
    await expect(aborted).resolves.toBe(false);
    await expect(waiters.wait('t', 0, 10)).resolves.toBe(false);
    await expect(waiters.wait('t', 0, 0)).resolves.toBe(false);
    expect(waiters.size).toBe(0);
  });

  it('wakes a topic waiter on an append to any of its queues and on notifyTopic, not on another topic', async () => {
    const waiters = new PullWaiters();
    const byAppend = waiters.waitTopic('t', 5000);
    const otherTopic = waiters.waitTopic('u', 50);
    waiters.notify('t', 3);
    await expect(byAppend).resolves.toBe(true);
    const byNotice = waiters.waitTopic('t', 5000);
    const queueWaiter = waiters.wait('t', 0, 50);
    waiters.notifyTopic('t');
    await expect(byNotice).resolves.toBe(true);
    await expect(queueWaiter).resolves.toBe(false);
    await expect(otherTopic).resolves.toBe(false);
    expect(waiters.size).toBe(0);
  });

  it('wakeAll releases everyone (used at shutdown)', async () => {
    const waiters = new PullWaiters();
    const all = [waiters.wait('a', 0, 5000), waiters.wait('b', 3, 5000), waiters.waitTopic('c', 5000)];
    waiters.wakeAll();
    await expect(Promise.all(all)).resolves.toEqual([true, true, true]);
  });
});
