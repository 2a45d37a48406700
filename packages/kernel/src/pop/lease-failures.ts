import type { BrokerSettings } from '../config/broker-settings';
import type { PullWaiters } from '../dispatch/pull-waiters';
import type { MessageHooks } from '../hooks/message-hooks';
import type { Logger } from '../logging/logger';
import type { StorageEngine } from '../storage/storage-engine';
import { offerToFailureHooks } from './offer-to-failure-hooks';
import { PopJournalWriter } from './pop-journal-writer';
import type { LeaseEnd, PopMetrics } from './pop-metrics';
import type { PendingMessage } from './pop-queue-state';

export interface LeaseFailuresDependencies {
  settings: Pick<BrokerSettings, 'popMaxDeliveries'>;
  storage: StorageEngine;
  /** The hooks with onConsumeFailure. */
  failureHooks: readonly MessageHooks[];
  waiters: PullWaiters;
  logger: Logger;
  metrics: PopMetrics;
  appendJournal(writer: PopJournalWriter): Promise<void>;
}

/**
 * What becomes of a message whose lease failed (nacked or expired): visible again, or, once
 * delivered popMaxDeliveries times, offered to the consume-failure hooks (feature-retry's DLQ)
 * first; one that takes it acks it away, else it stays redeliverable.
 */
export class LeaseFailures {
  private readonly handovers = new Set<Promise<void>>();

  constructor(private readonly deps: LeaseFailuresDependencies) {}

  /** The message is visible again at `visibleAt`, or handed over first (see the class). */
  fail(entry: PendingMessage, end: LeaseEnd, visibleAt: number, now: number): void {
    this.deps.metrics.leaseEnded(end);
    if (entry.deliveryCount < this.deps.settings.popMaxDeliveries) {
      entry.queue.release(entry, visibleAt, now);
      return;
    }
    entry.queue.handOver(entry);
    const handover = this.handOver(entry, `${end === 'expired' ? 'lease expired' : end} after ${entry.deliveryCount} deliveries`);
    this.handovers.add(handover);
    void handover.finally(() => this.handovers.delete(handover));
  }

  /** Resolves once the hand-overs under way ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.handovers]);
  }

  private async handOver(entry: PendingMessage, reason: string): Promise<void> {
    const { queue } = entry;
    const { storage, failureHooks, logger } = this.deps;
    const taken = await offerToFailureHooks(storage, failureHooks, logger, entry, reason);
    this.deps.metrics.offeredToHooks(taken);
    if (entry.state !== 'HANDING_OVER' || !queue.holds(entry)) return;
    if (taken) {
      queue.ack(entry);
      const writer = new PopJournalWriter(queue.group, '');
      writer.ack(queue.topic, queue.queueId, entry.offset);
      await this.deps.appendJournal(writer).catch((error: unknown) => logger.error({ err: error }, 'journalling the ack of a handed-over message failed'));
      return;
    }
    if (!entry.warned) {
      entry.warned = true;
      logger.warn(
        { group: queue.group, topic: queue.topic, queueId: queue.queueId, offset: entry.offset, deliveryCount: entry.deliveryCount },
        'no consume-failure hook took a message past popMaxDeliveries; it stays redeliverable',
      );
    }
    const now = Date.now();
    queue.release(entry, now, now);
    this.deps.waiters.notifyTopic(queue.topic);
  }
}
