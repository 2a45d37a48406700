import { injectable } from 'inversify';

interface Waiter {
  wake(): void;
}

/**
 * Long polling: a pull that found nothing parks here until a message lands on its queue or its
 * timeout passes. Appends wake the queue's waiters once per batch, not once per message.
 */
@injectable()
export class PullWaiters {
  private readonly waiters = new Map<string, Set<Waiter>>();

  /** Resolves true when woken by new data, false on timeout or abort. */
  wait(topic: string, queueId: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (timeoutMs <= 0 || signal?.aborted) return Promise.resolve(false);
    const key = queueKey(topic, queueId);
    return new Promise<boolean>((resolve) => {
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      const finish = (woken: boolean) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const current = this.waiters.get(key);
        if (current?.delete(waiter) && current.size === 0) this.waiters.delete(key);
        resolve(woken);
      };
      const waiter: Waiter = { wake: () => finish(true) };
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(false), timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      set.add(waiter);
    });
  }

  notify(topic: string, queueId: number): void {
    const set = this.waiters.get(queueKey(topic, queueId));
    if (!set) return;
    for (const waiter of [...set]) waiter.wake();
  }

  wakeAll(): void {
    for (const set of [...this.waiters.values()]) for (const waiter of [...set]) waiter.wake();
  }

  get size(): number {
    let count = 0;
    for (const set of this.waiters.values()) count += set.size;
    return count;
  }
}

function queueKey(topic: string, queueId: number): string {
  return `${topic}\u0000${queueId}`;
}
