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

/** What onProduce counted for a batch, kept on the batch itself for onProduceEnd: one watch per message. */
const COUNTED = Symbol('tessera.mqtt.foreignProduceCounted');
type CountedBatch = { [COUNTED]?: QueueWatch | QueueWatch[] };

/**
 * Tells the MQTT log bridge when other protocols write to a topic queue. The bridge republishes
 * only those messages, and reading back every MQTT publish just to skip it was the MQTT front's
 * largest cost (decoding and checksumming each record again). A kernel produce hook: it counts
 * each non-MQTT message per queue from onProduce until onProduceEnd, and keeps where the stored
 * ones landed; the bridge skips ahead over what only MQTT wrote. It runs on every produce, so it
 * allocates nothing for a one-message request and no per-batch map.
 */
@injectable()
export class ForeignProduceTracker implements MessageHooks {
  readonly name = 'mqtt-foreign-produce-tracker';
  /** By topic, then queue id. */
  private readonly queues = new Map<string, QueueWatch[]>();

  onProduce(batch: AppendMessage[], context: ProduceContext): void {
    if (context.protocol === 'mqtt') return;
    // A produce request of one message is the common case: no array for it.
    if (batch.length === 1) {
      (batch as CountedBatch)[COUNTED] = this.started(batch[0]!);
      return;
    }
    const counted = new Array<QueueWatch>(batch.length);
    for (let i = 0; i < batch.length; i++) counted[i] = this.started(batch[i]!);
    (batch as CountedBatch)[COUNTED] = counted;
  }

  onProduceEnd(batch: readonly AppendMessage[], _context: ProduceContext, results: readonly AppendResult[] | undefined): void {
    const counted = (batch as CountedBatch)[COUNTED];
    if (!counted) return;
    (batch as CountedBatch)[COUNTED] = undefined;
    // Results are in batch order: the i-th landed in the queue of the i-th watch.
    if (Array.isArray(counted)) for (let i = 0; i < counted.length; i++) settled(counted[i]!, results?.[i]);
    else settled(counted, results?.[0]);
  }

  /** Whether reading the queue from `offset` on may meet a message another protocol wrote (as far as this broker has seen). */
  mayMeetForeign(topic: string, queueId: number, offset: number): boolean {
    const watch = this.queues.get(topic)?.[queueId];
    return watch !== undefined && (watch.inFlight > 0 || watch.landedEnd > offset);
  }

  /** Resolves when another protocol begins to write to the queue, or after `timeoutMs`, or on abort. */
  waitForForeign(topic: string, queueId: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    const watch = this.watch(topic, queueId);
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

  /** Counts a message of another protocol on its way into its queue, and wakes the bridge loop waiting there. */
  private started(message: AppendMessage): QueueWatch {
    const watch = this.watch(message.topic, message.queueId);
    watch.inFlight++;
    if (watch.wakers.size > 0) for (const wake of [...watch.wakers]) wake();
    return watch;
  }

  private watch(topic: string, queueId: number): QueueWatch {
    let byQueue = this.queues.get(topic);
    if (!byQueue) this.queues.set(topic, (byQueue = []));
    return (byQueue[queueId] ??= { inFlight: 0, landedEnd: 0, wakers: new Set() });
  }
}

/** A counted message's produce settled: it is no longer on its way, and if stored, the bridge must read up to it. */
function settled(watch: QueueWatch, result: AppendResult | undefined): void {
  watch.inFlight--;
  if (result && result.queueOffset >= watch.landedEnd) watch.landedEnd = result.queueOffset + 1;
}
