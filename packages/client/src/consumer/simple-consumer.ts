import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  ackRequestCodec,
  changeInvisibleTimeRequestCodec,
  changeInvisibleTimeResponseCodec,
  nackRequestCodec,
  receiveRequestCodec,
  receiveResponseCodec,
  RequestCode,
  settleResponseCodec,
  type ReceiveRequest,
  type WireSettleResult,
} from '@tessera/wire';
import { BrokerConnection } from '../connection/broker-connection';
import { ReceiptStaleError } from '../errors/receipt-stale-error';
import { TesseraClientError } from '../errors/tessera-client-error';
import type { LeasedMessage } from '../message/leased-message';
import { toLeasedMessage } from '../message/to-leased-message';
import type { SimpleConsumerOptions } from './simple-consumer-options';
import { wireSubscriptionFor } from './wire-subscription-for';

const DEFAULT_SERVER = '127.0.0.1:10911';
const REQUEST_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/**
 * Per-message-ack consumption (the POP model): `receive` leases messages for an invisible time,
 * from any queue of the topic; many consumers of a group can share one queue. Each message is
 * then acked, nacked (visible again, delivery count raised) or its lease changed; a lease that
 * expires makes the message visible again too. Ack and nack settle what they can and then throw
 * ReceiptStaleError naming the receipts whose lease had already expired or been settled, since
 * those messages may be delivered again.
 */
export class SimpleConsumer {
  readonly clientId: string;
  private readonly connection: BrokerConnection;
  private readonly invisibleMs: number;
  private readonly awaitDurationMs: number;
  private readonly subscription: ReceiveRequest['subscription'];

  constructor(private readonly options: SimpleConsumerOptions) {
    if (!options.group) throw new TesseraClientError('BAD_ARGUMENT', 'a SimpleConsumer needs a group');
    if (!options.topic) throw new TesseraClientError('BAD_ARGUMENT', 'a SimpleConsumer needs a topic');
    this.invisibleMs = requirePositiveInteger('invisibleMs', options.invisibleMs ?? 30_000);
    this.awaitDurationMs = requireNonNegativeInteger('awaitDurationMs', options.awaitDurationMs ?? 10_000);
    this.clientId = options.clientId ?? `${hostname()}@${process.pid}@${randomBytes(4).toString('hex')}`;
    this.subscription = wireSubscriptionFor(options.tagExpression, options.sqlExpression);
    this.connection = new BrokerConnection({ server: options.server ?? DEFAULT_SERVER, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  }

  start(): Promise<void> {
    return this.connection.open();
  }

  shutdown(): Promise<void> {
    return this.connection.close();
  }

  /**
   * Up to `maxCount` messages, each leased for `invisibleMs` (the consumer's default unless given).
   * Waits up to awaitDurationMs for one to become visible; empty when none did.
   */
  async receive(maxCount = 16, invisibleMs = this.invisibleMs): Promise<LeasedMessage[]> {
    const request: ReceiveRequest = {
      group: this.options.group,
      topic: this.options.topic,
      clientId: this.clientId,
      maxCount: requirePositiveInteger('maxCount', maxCount),
      maxBytes: this.options.maxBytes ?? DEFAULT_MAX_BYTES,
      invisibleMs: requirePositiveInteger('invisibleMs', invisibleMs),
      maxWaitMs: this.awaitDurationMs,
    };
    if (this.subscription) request.subscription = this.subscription;
    const response = await this.connection.request(RequestCode.RECEIVE, receiveRequestCodec, request, receiveResponseCodec, {
      timeoutMs: REQUEST_TIMEOUT_MS + this.awaitDurationMs,
    });
    return response.messages.map(toLeasedMessage);
  }

  /** Settles the messages as consumed; throws ReceiptStaleError if some leases were no longer valid. */
  async ack(messages: LeasedMessage | readonly LeasedMessage[]): Promise<void> {
    const receipts = receiptsOf(messages);
    if (receipts.length === 0) return;
    const { results } = await this.connection.request(RequestCode.ACK, ackRequestCodec, { group: this.options.group, receipts }, settleResponseCodec);
    throwIfStale('ack', receipts, results);
  }

  /**
   * Hands the messages back: they become visible again after `redeliverAfterMs` with their delivery
   * count raised. Throws ReceiptStaleError if some leases were no longer valid.
   */
  async nack(messages: LeasedMessage | readonly LeasedMessage[], redeliverAfterMs = 0): Promise<void> {
    requireNonNegativeInteger('redeliverAfterMs', redeliverAfterMs);
    const receipts = receiptsOf(messages);
    if (receipts.length === 0) return;
    const { results } = await this.connection.request(
      RequestCode.NACK,
      nackRequestCodec,
      { group: this.options.group, receipts, redeliverAfterMs },
      settleResponseCodec,
    );
    throwIfStale('nack', receipts, results);
  }

  /**
   * Keeps the message invisible for `invisibleMs` from now (longer or shorter than before). The old
   * receipt becomes stale, so the message's `receipt` and `leaseExpiresAt` are updated in place;
   * the same message is returned.
   */
  async changeInvisibleTime(message: LeasedMessage, invisibleMs: number): Promise<LeasedMessage> {
    const response = await this.connection.request(
      RequestCode.CHANGE_INVISIBLE_TIME,
      changeInvisibleTimeRequestCodec,
      { group: this.options.group, receipt: message.receipt, invisibleMs: requirePositiveInteger('invisibleMs', invisibleMs) },
      changeInvisibleTimeResponseCodec,
    );
    message.receipt = response.receipt;
    message.leaseExpiresAt = response.leaseExpiresAt;
    return message;
  }
}

function receiptsOf(messages: LeasedMessage | readonly LeasedMessage[]): string[] {
  return isList(messages) ? messages.map((m) => m.receipt) : [messages.receipt];
}

function isList(messages: LeasedMessage | readonly LeasedMessage[]): messages is readonly LeasedMessage[] {
  return Array.isArray(messages);
}

function throwIfStale(action: 'ack' | 'nack', receipts: readonly string[], results: readonly WireSettleResult[]): void {
  const stale = receipts.filter((_, i) => results[i] !== 'OK');
  if (stale.length === 0) return;
  throw new ReceiptStaleError(
    `${action}: ${stale.length} of ${receipts.length} lease(s) had expired or were already settled; those messages may be delivered again`,
    stale,
  );
}

function requirePositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new TesseraClientError('BAD_ARGUMENT', `${name} must be a whole number ≥ 1, got ${value}`);
  return value;
}

function requireNonNegativeInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) throw new TesseraClientError('BAD_ARGUMENT', `${name} must be a whole number ≥ 0, got ${value}`);
  return value;
}
