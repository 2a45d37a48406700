import { injectable } from 'inversify';

interface Waiter {
  wake(): void;
}

/**
 * Long polling: a pull that found nothing parks here until a message lands on its queue or its
 * timeout passes; a per-message-ack receive parks on a whole topic. Appends wake the queue's and
 * the topic's waiters once per batch, not once per message.
 */
@injectable()
export class PullWaiters {
  private readonly queueWaiters = new Map<string, Set<Waiter>>();
  private readonly topicWaiters = new Map<string, Set<Waiter>>();

  /** Resolves true when woken by new data, false on timeout or abort. */
  wait(topic: string, queueId: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return park(this.queueWaiters, queueKey(topic, queueId), timeoutMs, signal);
  }

  /** Like `wait`, woken by an append to any queue of the topic or by `notifyTopic`. */
  waitTopic(topic: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    return park(this.topicWaiters, topic, timeoutMs, signal);
  }

  notify(topic: string, queueId: number): void {
    wake(this.queueWaiters.get(queueKey(topic, queueId)));
    wake(this.topicWaiters.get(topic));
  }

  /** Wakes the topic's waiters only: something became receivable without an append (a nack, an expired lease). */
  notifyTopic(topic: string): void {
    wake(this.topicWaiters.get(topic));
  }

  wakeAll(): void {
    for (const set of [...this.queueWaiters.values(), ...this.topicWaiters.values()]) wake(set);
  }

  get size(): number {
    let count = 0;
    for (const set of this.queueWaiters.values()) count += set.size;
    for (const set of this.topicWaiters.values()) count += set.size;
    return count;
  }
}

function park(waiters: Map<string, Set<Waiter>>, key: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  if (timeoutMs <= 0 || signal?.aborted) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    let set = waiters.get(key);
    if (!set) waiters.set(key, (set = new Set()));
    const finish = (woken: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      const current = waiters.get(key);
      if (current?.delete(waiter) && current.size === 0) waiters.delete(key);
      resolve(woken);
    };
    const waiter: Waiter = { wake: () => finish(true) };
    const onAbort = () => finish(false);
    const timer = setTimeout(() => finish(false), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    set.add(waiter);
  });
}

function wake(set: Set<Waiter> | undefined): void {
  if (set) for (const waiter of [...set]) waiter.wake();
}

function queueKey(topic: string, queueId: number): string {
  return `${topic}\u0000${queueId}`;
}
