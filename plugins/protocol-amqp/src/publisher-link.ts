import { ErrorCode, TesseraError, type Logger, type MessageInput, type ProduceBatcher } from '@tessera/kernel';
import type { Delivery, EventContext, Message, Receiver } from 'rhea';
import type { AmqpMetrics } from './amqp-metrics';
import { AmqpRefusal } from './amqp-refusal';
import { transactionalAccepted, transactionIdOfTransfer } from './amqp-transaction-codec';
import type { ConnectionTransactions } from './connection-transactions';
import { inboundMessage } from './inbound-message';
import { PublisherCredit } from './publisher-credit';
import { rawTransferOf } from './raw-transfer-of';

export interface PublisherLinkContext {
  batcher: ProduceBatcher;
  /** Produce context client id: the connection. */
  clientId: string;
  logger: Logger;
  /**
   * The topic a message goes to: the link's target, or for the anonymous relay the message's
   * `to`; throws AmqpRefusal when it may not go there.
   */
  topicOf(message: Message): string;
  /** The queue this link writes to on a topic (undefined: the kernel picks). */
  queueOf(topic: string): number | undefined;
  /** Where a transfer sent under a transaction waits for the discharge. */
  transactions: ConnectionTransactions;
  metrics: AmqpMetrics;
}

/**
 * One link a client publishes on. Each transfer is settled accepted only once the kernel's
 * produce resolved (durable under the flush policy), or rejected with the reason; credit is
 * granted in windows and again as transfers are settled. A transfer sent under a transaction is
 * held by it and accepted provisionally (a transactional-state) at once.
 */
export class PublisherLink {
  private readonly credit: PublisherCredit;

  constructor(
    private readonly receiver: Receiver,
    private readonly context: PublisherLinkContext,
    creditWindow: number,
  ) {
    this.credit = new PublisherCredit(creditWindow);
    receiver.on('message', (event: EventContext) => this.transfer(event.message!, event.delivery!));
  }

  start(): void {
    this.receiver.add_credit(this.credit.initial());
  }

  private transfer(message: Message, delivery: Delivery): void {
    this.credit.transferArrived();
    const txnId = transactionIdOfTransfer(delivery.remote_state);
    let input: MessageInput;
    try {
      const raw = rawTransferOf(delivery);
      if (!raw) throw new AmqpRefusal('amqp:not-implemented', `message format ${delivery.format} is not supported`);
      const topic = this.context.topicOf(message);
      input = inboundMessage(raw, message, topic);
      input.queueId = this.context.queueOf(topic);
      if (txnId) {
        this.context.transactions.enlistSend(txnId, input);
        this.settle(delivery, undefined, txnId);
        return;
      }
    } catch (error) {
      const refusal = refusalOf(error);
      if (txnId) this.context.transactions.fail(txnId, refusal);
      this.settle(delivery, refusal);
      return;
    }
    this.context.batcher.submit(input, this.context.clientId, (error) => this.settle(delivery, error === undefined ? undefined : refusalOf(error)));
  }

  /** Settles a transfer: rejected with `refusal`, else accepted, provisionally when under transaction `txnId`. */
  private settle(delivery: Delivery, refusal: AmqpRefusal | undefined, txnId?: Buffer): void {
    this.context.metrics.transferSettled(refusal ? 'rejected' : txnId ? 'transactional' : 'accepted');
    if (this.receiver.is_closed()) return;
    if (delivery.remote_settled) delivery.update(true);
    else if (refusal) delivery.reject(refusal.toAmqpError());
    else if (txnId) delivery.update(true, transactionalAccepted(txnId) as never);
    else delivery.accept();
    if (refusal) this.context.logger.debug({ condition: refusal.condition, reason: refusal.message }, 'AMQP transfer rejected');
    const grant = this.credit.settled((this.receiver as unknown as { credit: number }).credit);
    if (grant > 0) this.receiver.add_credit(grant);
  }
}

const CONDITIONS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.TOPIC_NOT_FOUND]: 'amqp:not-found',
  [ErrorCode.MESSAGE_TOO_LARGE]: 'amqp:link:message-size-exceeded',
  [ErrorCode.NO_PERMISSION]: 'amqp:unauthorized-access',
  [ErrorCode.INVALID_TOPIC_NAME]: 'amqp:invalid-field',
  [ErrorCode.BAD_REQUEST]: 'amqp:invalid-field',
  [ErrorCode.SUBSCRIPTION_INVALID]: 'amqp:invalid-field',
  [ErrorCode.SHUTTING_DOWN]: 'amqp:resource-limit-exceeded',
  [ErrorCode.STORE_UNAVAILABLE]: 'amqp:resource-limit-exceeded',
};

export function refusalOf(error: unknown): AmqpRefusal {
  if (error instanceof AmqpRefusal) return error;
  if (TesseraError.is(error)) return new AmqpRefusal(CONDITIONS[error.code] ?? 'amqp:internal-error', error.message);
  return new AmqpRefusal('amqp:internal-error', error instanceof Error ? error.message : String(error));
}
