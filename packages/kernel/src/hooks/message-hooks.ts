import type { StoredMessage } from '../message/stored-message';
import type { AppendMessage, AppendResult, ReadFilter } from '../storage/storage-engine';
import type { Subscription } from './subscription';

export const MessageHooks = Symbol.for('tessera.MessageHooks');

export interface ProduceContext {
  /** Protocol the batch arrived on: 'native', 'mqtt', 'amqp', or 'internal'. */
  protocol: string;
  producerGroup?: string;
  clientId?: string;
}

export interface ConsumeFailure {
  group: string;
  message: StoredMessage;
  reason: string;
  /** A delay level the consumer asked for, if any. */
  delayLevel?: number;
  /**
   * Deliveries already made: by the broker (per-message-ack consumption) or by the consumer itself
   * (an ORDERLY member retrying in place). Absent when the consumer leaves retries to the broker.
   */
  deliveryCount?: number;
}

/**
 * What feature plugins plug into. Each method is optional; hooks run in binding order.
 * `onProduce` sees a whole batch and may rewrite messages in place (redirect a delayed message
 * to its timer topic, a half message to the half topic) before it is replicated and stored.
 */
export interface MessageHooks {
  readonly name: string;
  onProduce?(batch: AppendMessage[], context: ProduceContext): void | Promise<void>;
  /**
   * Once per produce that reached the hooks, after it settled, with the same batch array onProduce
   * saw: `results` when it was stored, undefined when a hook or the store refused it (this hook's
   * own onProduce may not have run).
   */
  onProduceEnd?(batch: readonly AppendMessage[], context: ProduceContext, results: readonly AppendResult[] | undefined): void;
  /** Builds the broker-side filter for a subscription; throws TesseraError(SUBSCRIPTION_INVALID) if bad. */
  createReadFilter?(subscription: Subscription): ReadFilter | undefined;
  /** Returns true when the hook took charge of the failed message (e.g. sent it to a retry topic). */
  onConsumeFailure?(failure: ConsumeFailure): Promise<boolean>;
  /** Periodic work: timers, transaction check-back. */
  onTick?(now: number): Promise<void>;
}
