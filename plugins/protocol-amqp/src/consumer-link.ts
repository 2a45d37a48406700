import { setImmediate as nextTurn } from 'node:timers/promises';
import { ErrorCode, TesseraError, type Broker, type BrowsedMessage, type LeasedMessage, type Logger, type RedeliveryOptions, type SettleResult, type Subscription } from '@tessera/kernel';
import type { Delivery, EventContext, Sender } from 'rhea';
import type { AmqpMetrics } from './amqp-metrics';
import type { ConnectionTransactions } from './connection-transactions';
import { consumerOutcomeOf, type ConsumerOutcome, type OutcomeType } from './consumer-outcome';
import { expiryOf } from './message-expiry';
import { outboundMessage } from './outbound-message';
import { refusalOf } from './publisher-link';
import type { TransactionalDisposition } from './rhea-transaction-types';
import { SettlementBatcher } from './settlement-batcher';

/** Most messages one receive asks for, whatever the credit. */
const MAX_RECEIVE_BATCH = 256;
/** Pause after a receive failed for a reason that may pass (store busy), before trying again. */
const RETRY_AFTER_ERROR_MS = 1000;
/** A link's client id names it in the kernel, so the kernel keeps an undeliverable-here message from it. */
const NOT_TO_THIS_LINK: RedeliveryOptions = { notToSameConsumer: true };

export interface ConsumerLinkSpec {
  group: string;
  topic: string;
  /** Names this link's consumer in the kernel's per-consumer in-flight limits. */
  clientId: string;
  /** A queue consumer starts at the oldest retained message, a topic subscription at the next one produced. */
  startFrom: 'EARLIEST' | 'LATEST';
  /** Whether the group's state goes with the link: a temporary subscription, or a durable one closed for good. */
  forgetOnClose(closedForGood: boolean): boolean;
  /** Broker-side filter of a topic subscription (the source's selector or tag filter). */
  subscription?: Subscription;
  /** A browser (source distribution-mode `copy`): it sees the queue's messages without taking them, and its outcomes change nothing. */
  browsing?: boolean;
}

export interface ConsumerLinkSettings {
  leaseMs: number;
  receiveWaitMs: number;
  modifiedRedeliveryDelayMs: number;
  deadLetterExpired: boolean;
}

interface Outgoing {
  available(): number;
}

/** A delivery's current lease: renewals replace it while the client holds the message. */
interface Held {
  lease: LeasedMessage;
}

/**
 * One link a client receives on: messages leased from the group (per-message acks, the POP
 * model) are sent within the link's credit and settled by the client's outcomes. Only one
 * receive is outstanding at a time; it starts a turn after the last sends, when rhea has
 * written them and its credit count is exact again (rhea lowers credit only when it writes).
 * A message stays leased as long as the client holds it unsettled: leases are renewed every
 * third of `leaseMs`, so only a link that goes (or a broker that dies) gives its messages back.
 */
export class ConsumerLink {
  private readonly inflight = new Map<Delivery, Held>();
  /** Messages settled under a transaction still open: their leases are renewed until it ends. */
  private readonly enlisted = new Set<Held>();
  private readonly settlements: SettlementBatcher;
  private readonly presettled: boolean;
  private pumping = false;
  private draining = false;
  private closed = false;
  /** Aborts the receive in progress (drain, close); kept across receives until it is used. */
  private receiving = new AbortController();
  private renewTimer: NodeJS.Timeout | undefined;
  /** The renewal under way: settlements wait for it, so they use the receipts it gives. */
  private renewal: Promise<void> | undefined;
  /** A browser's place in each queue of its topic. */
  private readonly browsePositions = new Map<number, number>();

  constructor(
    private readonly sender: Sender,
    private readonly broker: Broker,
    private readonly spec: ConsumerLinkSpec,
    private readonly settings: ConsumerLinkSettings,
    private readonly logger: Logger,
    private readonly transactions: ConnectionTransactions,
    private readonly metrics: AmqpMetrics,
  ) {
    this.settlements = new SettlementBatcher(broker, spec.group);
    this.presettled = sender.snd_settle_mode === 1;
    sender.on('sender_flow', () => this.pump());
    sender.on('sender_draining', () => {
      this.draining = true;
      this.receiving.abort();
      this.pump();
    });
    for (const type of ['accepted', 'released', 'modified', 'rejected', 'settled'] as const) {
      sender.on(type, (context: EventContext) => this.settled(type, context.delivery!));
    }
    sender.on('transactional_state', (context: EventContext) => this.settledUnderTransaction(context.delivery!));
  }

  /** Begins delivering, a turn after the attach was answered (sending first makes clients such as proton drop the connection). */
  async start(): Promise<void> {
    await nextTurn();
    // A subscription starts where the topic ends now, not at its first receive: anchor it.
    if (this.spec.startFrom === 'LATEST') await this.anchor();
    if (this.closed) return;
    this.renewTimer = setInterval(() => this.renewDueLeases(), this.settings.leaseMs / 3);
    this.renewTimer.unref();
    this.pump();
  }

  /** The link ended (detach, or its connection went): unsettled messages become visible again at once. */
  async close(closedForGood: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Messages settled under a transaction still open stay leased until it ends, link or no link.
    if (this.enlisted.size === 0) clearInterval(this.renewTimer);
    this.receiving.abort();
    // rhea dispatches a detach or close as it reads it, but the outcomes read just before it only
    // on its next tick: take those first, so an accepted message is not released with the rest.
    await nextTurn();
    await this.renewal;
    const unsettled = [...this.inflight.values()].map((held) => held.lease.receipt);
    this.inflight.clear();
    try {
      if (unsettled.length > 0) await this.broker.nack(this.spec.group, unsettled, 0);
      if (this.spec.forgetOnClose(closedForGood)) await this.broker.forgetPerMessageAckGroup(this.spec.group, this.spec.topic);
    } catch (error) {
      this.logger.warn({ err: error, group: this.spec.group, topic: this.spec.topic }, 'AMQP consumer link: cleanup after close failed');
    }
  }

  private async anchor(): Promise<void> {
    try {
      const leased = await this.broker.receive({ ...this.receiveRequest(1), maxWaitMs: 0 });
      if (leased.length > 0) await this.broker.release(this.spec.group, leased.map((lease) => lease.receipt));
    } catch (error) {
      this.logger.warn({ err: error, group: this.spec.group }, 'AMQP subscription: could not anchor at the end of the topic');
    }
  }

  private pump(): void {
    if (this.pumping || this.closed) return;
    this.pumping = true;
    void this.deliverWhileCredit().finally(() => {
      this.pumping = false;
    });
  }

  private async deliverWhileCredit(): Promise<void> {
    while (!this.closed) {
      await nextTurn();
      if (this.closed) return;
      const room = this.room();
      if (room <= 0) {
        this.finishDrain();
        return;
      }
      const draining = this.draining;
      const asked = Math.min(room, MAX_RECEIVE_BATCH);
      const taken = this.spec.browsing ? await this.browseAndSend(asked, draining) : await this.receiveAndSend(asked, draining);
      if (taken === undefined) return;
      if (draining && taken < asked) {
        this.finishDrain();
        return;
      }
    }
  }

  /** How many messages the kernel gave; undefined when the link should stop pumping. */
  private async receiveAndSend(maxCount: number, draining: boolean): Promise<number | undefined> {
    const leased = await this.take((maxWaitMs, signal) => this.broker.receive({ ...this.receiveRequest(maxCount), maxWaitMs, signal }), draining);
    if (leased) this.send(leased);
    return leased?.length;
  }

  private async browseAndSend(maxCount: number, draining: boolean): Promise<number | undefined> {
    const { group, topic, subscription } = this.spec;
    const copies = await this.take(
      (maxWaitMs, signal) => this.broker.browse({ group, topic, subscription, positions: this.browsePositions, maxCount, maxWaitMs, signal }),
      draining,
    );
    if (copies) this.sendCopies(copies);
    return copies?.length;
  }

  /** What a receive or a browse gave; undefined when the link should stop pumping (closed, or the topic is gone). */
  private async take<T>(ask: (maxWaitMs: number, signal: AbortSignal) => Promise<T[]>, draining: boolean): Promise<T[] | undefined> {
    if (this.receiving.signal.aborted) this.receiving = new AbortController();
    try {
      return await ask(draining ? 0 : this.settings.receiveWaitMs, this.receiving.signal);
    } catch (error) {
      if (this.closed) return undefined;
      if (TesseraError.is(error, ErrorCode.TOPIC_NOT_FOUND)) {
        this.sender.close({ condition: 'amqp:not-found', description: (error as Error).message });
        return undefined;
      }
      if (TesseraError.is(error, ErrorCode.SHUTTING_DOWN)) return undefined;
      this.logger.warn({ err: error, group: this.spec.group, topic: this.spec.topic }, 'AMQP consumer link: receive failed; trying again');
      await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_ERROR_MS));
      return [];
    }
  }

  private receiveRequest(maxCount: number) {
    return {
      group: this.spec.group,
      topic: this.spec.topic,
      clientId: this.spec.clientId,
      maxCount,
      invisibleMs: this.settings.leaseMs,
      leasesEndWithConnection: true,
      startFrom: this.spec.startFrom,
      subscription: this.spec.subscription,
    };
  }

  /**
   * Sends what fits the credit (the client may have lowered it meanwhile); the rest is visible
   * again at once, uncounted. An expired message (its ttl or absolute-expiry-time passed) is not
   * sent: it is acked away, as RabbitMQ drops an expired message, or dead-lettered first.
   */
  private send(leased: readonly LeasedMessage[]): void {
    let room = this.closed ? 0 : this.room();
    const excess: string[] = [];
    const expired: LeasedMessage[] = [];
    const now = Date.now();
    for (const lease of leased) {
      const expiresAt = expiryOf(lease.message);
      if (expiresAt !== undefined && expiresAt <= now) {
        expired.push(lease);
        continue;
      }
      if (room <= 0) {
        excess.push(lease.receipt);
        continue;
      }
      room--;
      const delivery = this.sender.send(outboundMessage(lease.message, lease.deliveryCount, now, expiresAt), undefined, 0);
      this.metrics.delivered();
      if (this.presettled) void this.settlements.ack(lease.receipt).catch((error: unknown) => this.settleFailed(error));
      else this.inflight.set(delivery, { lease });
    }
    if (excess.length > 0) void this.broker.release(this.spec.group, excess).catch((error: unknown) => this.settleFailed(error));
    if (expired.length > 0) {
      this.metrics.expired(expired.length);
      const deadLettered = this.settings.deadLetterExpired;
      this.logger.debug({ group: this.spec.group, topic: this.spec.topic, expired: expired.length, deadLettered }, 'AMQP messages expired before delivery');
      for (const lease of expired) {
        // This lease was never delivered: the failures are the deliveries before it.
        const settled = deadLettered ? this.deadLetter(lease, 'expired', 'expired', lease.deliveryCount - 1) : this.settlements.ack(lease.receipt);
        void settled.catch((error: unknown) => this.settleFailed(error));
      }
    }
  }

  /**
   * Sends a browser's copies within the credit; an expired one is skipped. The browser's position
   * in a queue goes back to the first copy that did not fit (the client may have lowered credit).
   */
  private sendCopies(copies: readonly BrowsedMessage[]): void {
    let room = this.closed ? 0 : this.room();
    const now = Date.now();
    for (const { message, deliveryCount } of copies) {
      const expiresAt = expiryOf(message);
      if (expiresAt !== undefined && expiresAt <= now) continue;
      if (room <= 0) {
        const position = this.browsePositions.get(message.queueId);
        if (position === undefined || message.queueOffset < position) this.browsePositions.set(message.queueId, message.queueOffset);
        continue;
      }
      room--;
      // outboundMessage takes this delivery's number: a copy shows the group's deliveries so far as earlier attempts.
      this.sender.send(outboundMessage(message, deliveryCount + 1, now, expiresAt), undefined, 0);
      this.metrics.browsed();
    }
  }

  /** Credit rhea has not yet used, bounded by the session's free delivery slots. */
  private room(): number {
    if (!this.sender.is_open()) return 0;
    const outgoing = (this.sender.session as unknown as { outgoing: Outgoing }).outgoing;
    const credit = (this.sender as unknown as { credit: number }).credit;
    return Math.min(credit, outgoing.available());
  }

  private finishDrain(): void {
    if (!this.draining) return;
    this.draining = false;
    this.sender.set_drained(true);
  }

  /** Renews the leases of the messages held (or enlisted in a transaction) longer than half a lease, in one kernel call. */
  private renewDueLeases(): void {
    if (this.renewal) return;
    if (this.inflight.size + this.enlisted.size === 0) {
      if (this.closed) clearInterval(this.renewTimer);
      return;
    }
    const due = Date.now() + this.settings.leaseMs / 2;
    const held = [...this.inflight.values(), ...this.enlisted].filter((entry) => entry.lease.leaseExpiresAt < due);
    if (held.length === 0) return;
    this.renewal = this.broker
      .renewLeases(
        this.spec.group,
        held.map((entry) => entry.lease.receipt),
        this.settings.leaseMs,
      )
      .then(
        (renewed) =>
          renewed.forEach((lease, i) => {
            if (lease) held[i]!.lease = { ...held[i]!.lease, ...lease };
          }),
        (error: unknown) => {
          if (TesseraError.is(error, ErrorCode.SHUTTING_DOWN)) return;
          this.logger.warn({ err: error, group: this.spec.group }, 'AMQP consumer link: renewing leases failed; held messages may be redelivered when they expire');
        },
      )
      .finally(() => {
        this.renewal = undefined;
      });
  }

  private settled(type: OutcomeType, delivery: Delivery): void {
    if (this.spec.browsing) {
      if (!delivery.settled) delivery.update(true);
      return;
    }
    const held = this.inflight.get(delivery);
    if (!held) return;
    this.inflight.delete(delivery);
    this.metrics.consumerSettled(type);
    const outcome = consumerOutcomeOf(type, delivery.remote_state as never, this.settings.modifiedRedeliveryDelayMs);
    const settling = this.renewal ? this.renewal.then(() => this.apply(outcome, held.lease)) : this.apply(outcome, held.lease);
    settling.then(
      () => {
        if (!delivery.settled) delivery.update(true);
      },
      (error: unknown) => this.settleFailed(error),
    );
  }

  /**
   * The client settled a delivery under a transaction: the transaction holds the outcome until it
   * commits (then it applies) or rolls back (then the message is released). A transaction this
   * connection does not know ends the link with `amqp:transaction:unknown-id`; the message is
   * released with the link's other unsettled ones.
   */
  private settledUnderTransaction(delivery: Delivery): void {
    if (this.spec.browsing) {
      if (!delivery.settled) delivery.update(true);
      return;
    }
    const held = this.inflight.get(delivery);
    if (!held) return;
    const state = delivery.remote_state as unknown as TransactionalDisposition;
    const type = (state.outcome?.constructor.composite_type ?? 'accepted') as OutcomeType;
    const outcome = consumerOutcomeOf(type, state.outcome as never, this.settings.modifiedRedeliveryDelayMs);
    if (!state.txnId) {
      this.sender.close({ condition: 'amqp:decode-error', description: 'a transactional-state needs its txn-id' });
      return;
    }
    try {
      this.transactions.enlistSettlement(state.txnId, {
        commit: async () => {
          await this.renewal;
          this.enlisted.delete(held);
          this.metrics.consumerSettled(type);
          if ((await this.apply(outcome, held.lease)) !== 'STALE') return;
          this.logger.warn(
            { group: this.spec.group, msgId: held.lease.message.msgId },
            'AMQP transaction committed after the lease of a message consumed under it had expired: it was redelivered meanwhile',
          );
        },
        rollback: async () => {
          await this.renewal;
          this.enlisted.delete(held);
          await this.settlements.nack(held.lease.receipt, 0);
        },
      });
    } catch (error) {
      this.sender.close(refusalOf(error).toAmqpError());
      return;
    }
    this.inflight.delete(delivery);
    this.enlisted.add(held);
    if (!delivery.settled) delivery.update(true);
  }

  /** Settles a leased message as the outcome says; STALE when its lease had already ended. */
  private apply(outcome: ConsumerOutcome, lease: LeasedMessage): Promise<SettleResult> {
    switch (outcome.action) {
      case 'ack':
        return this.settlements.ack(lease.receipt);
      case 'release':
        if (outcome.notHere) return this.notHere(this.broker.release(this.spec.group, [lease.receipt], NOT_TO_THIS_LINK));
        return this.settlements.release(lease.receipt);
      case 'redeliver':
        if (outcome.notHere) return this.notHere(this.broker.nack(this.spec.group, [lease.receipt], outcome.afterMs, NOT_TO_THIS_LINK));
        return this.settlements.nack(lease.receipt, outcome.afterMs);
      case 'dead-letter':
        return this.deadLetter(lease, 'rejected', outcome.reason);
    }
  }

  /** An undeliverable-here outcome (rare: settled on its own, not batched). */
  private async notHere(settling: Promise<SettleResult[]>): Promise<SettleResult> {
    const [result] = await settling;
    return result!;
  }

  /** Hands a rejected or expired message to the consume-failure hooks (feature-retry puts it in `%DLQ%<group>`), then acks it away. */
  private async deadLetter(lease: LeasedMessage, cause: 'rejected' | 'expired', reason: string, failures = lease.deliveryCount): Promise<SettleResult> {
    const fields = { group: this.spec.group, topic: this.spec.topic, msgId: lease.message.msgId, reason };
    let taken: boolean;
    try {
      taken = await this.broker.reportConsumeFailure({ group: this.spec.group, message: lease.message, reason, deliveryCount: failures });
    } catch (error) {
      // A refusal that would come again at every redelivery (a queue name too long for its DLQ's):
      // dropped, as if no plugin took it, rather than redelivered and refused for ever.
      if (!TesseraError.is(error, ErrorCode.BAD_REQUEST)) throw error;
      this.logger.error({ ...fields, err: error }, 'an AMQP message could not be dead-lettered; it is dropped');
      return this.settlements.ack(lease.receipt);
    }
    if (taken) this.metrics.deadLettered(cause);
    else this.logger.warn(fields, 'no dead-letter plugin took an AMQP message to dead-letter (rejected or expired); it is dropped');
    return this.settlements.ack(lease.receipt);
  }

  private settleFailed(error: unknown): void {
    if (TesseraError.is(error, ErrorCode.SHUTTING_DOWN)) return;
    this.logger.warn({ err: error, group: this.spec.group }, 'AMQP consumer link: settling a delivery failed; its lease will expire and redeliver it');
  }
}
