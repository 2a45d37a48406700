import { injectable } from 'inversify';
import type { AppendMessage, AppendResult, MessageHooks, ProduceContext } from '@tessera/kernel';

/** What the bridge must still read on one topic queue because another protocol wrote it. */
interface QueueWatch {
  /** Messages of other protocols on their way into the queue (their produce has not settled). */
  inFlight: number;
  /** One past the highest offset another protocol's message landed at. */
  landedEnd: number;
  wakers: Set<() => void>;
}

/**
 * Tells the MQTT log bridge when other protocols write to a topic queue. The bridge republishes
 * only those messages, and reading back every MQTT publish just to skip it was the MQTT front's
 * largest cost (decoding and checksumming each record again). A kernel produce hook: it counts
 * each non-MQTT batch per queue from onProduce until onProduceEnd, and keeps where the stored
 * ones landed; the bridge skips ahead over what only MQTT wrote.
 */
@injectable()
export class ForeignProduceTracker implements MessageHooks {
  readonly name = 'mqtt-foreign-produce-tracker';
  private readonly queues = new Map<string, QueueWatch>();
  private readonly countsByBatch = new WeakMap<object, Map<string, number>>();

  onProduce(batch: AppendMessage[], context: ProduceContext): void {
    if (context.protocol === 'mqtt') return;
    const counts = new Map<string, number>();
    for (const message of batch) {
      const key = keyOf(message.topic, message.queueId);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    this.countsByBatch.set(batch, counts);
    for (const [key, count] of counts) {
      const watch = this.watch(key);
      watch.inFlight += count;
      for (const wake of [...watch.wakers]) wake();
    }
  }

  onProduceEnd(batch: readonly AppendMessage[], _context: ProduceContext, results: readonly AppendResult[] | undefined): void {
    const counts = this.countsByBatch.get(batch);
    if (!counts) return;
    this.countsByBatch.delete(batch);
    for (const [key, count] of counts) this.watch(key).inFlight -= count;
    for (const result of results ?? []) {
      const watch = this.watch(keyOf(result.topic, result.queueId));
      watch.landedEnd = Math.max(watch.landedEnd, result.queueOffset + 1);
    }
  }

  /** Whether reading the queue from `offset` on may meet a message another protocol wrote (as far as this broker has seen). */
  mayMeetForeign(topic: string, queueId: number, offset: number): boolean {
    const watch = this.queues.get(keyOf(topic, queueId));
    return watch !== undefined && (watch.inFlight > 0 || watch.landedEnd > offset);
  }

  /** Resolves when another protocol begins to write to the queue, or after `timeoutMs`, or on abort. */
  waitForForeign(topic: string, queueId: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    const watch = this.watch(keyOf(topic, queueId));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        watch.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal.addEventListener('abort', done, { once: true });
      watch.wakers.add(done);
    });
  }

  private watch(key: string): QueueWatch {
    let watch = this.queues.get(key);
    if (!watch) this.queues.set(key, (watch = { inFlight: 0, landedEnd: 0, wakers: new Set() }));
    return watch;
  }
}

function keyOf(topic: string, queueId: number): string {
  return `${topic}\n${queueId}`;
}
