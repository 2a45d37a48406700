import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from '@tessera/kernel';
import type { Delivery, EventContext, Receiver } from 'rhea';
import { coordinatorRequestOf, coordinatorTarget, declaredOutcome } from './amqp-transaction-codec';
import type { ConnectionTransactions } from './connection-transactions';
import { refusalOf } from './publisher-link';
import { rawTransferOf } from './raw-transfer-of';

/** Declares and discharges a controller may have outstanding on one coordinator link. */
const REQUEST_CREDIT = 100;

/**
 * A link whose target is the transaction coordinator (AMQP 1.0 part 4): each `declare` is
 * answered with a `declared` outcome naming a new transaction, each `discharge` with `accepted`
 * once the transaction committed or rolled back, or `rejected` with `amqp:transaction:unknown-id`
 * or `amqp:transaction:rollback`. The transactions it declared roll back when it detaches.
 */
export class TransactionCoordinatorLink {
  private closed = false;

  constructor(
    private readonly receiver: Receiver,
    private readonly transactions: ConnectionTransactions,
    private readonly logger: Logger,
  ) {
    (receiver as unknown as { local: { attach: { target: unknown } } }).local.attach.target = coordinatorTarget();
    receiver.on('message', (event: EventContext) => void this.request(event.delivery!));
    receiver.on('receiver_close', () => void this.close());
  }

  start(): void {
    this.receiver.add_credit(REQUEST_CREDIT);
  }

  /** The link or its connection went: what it declared and did not discharge rolls back. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.transactions.rollbackDeclaredBy(this);
  }

  private async request(delivery: Delivery): Promise<void> {
    try {
      const raw = rawTransferOf(delivery);
      const request = coordinatorRequestOf(raw ?? Buffer.alloc(0));
      if (request.kind === 'declare') {
        this.answer(delivery, declaredOutcome(this.transactions.declare(this)));
      } else {
        // rhea dispatches a transfer as it reads it, but the dispositions read before it only on
        // its next tick: let the outcomes a consumer settled under the transaction join it first.
        await nextTurn();
        await this.transactions.discharge(request.txnId, request.fail);
        this.answer(delivery, undefined);
      }
    } catch (error) {
      const refusal = refusalOf(error);
      this.logger.debug({ condition: refusal.condition, reason: refusal.message }, 'AMQP coordinator refused a request');
      if (this.receiver.is_closed()) return;
      delivery.reject(refusal.toAmqpError());
      this.receiver.add_credit(1);
    }
  }

  /** Settles the request with `outcome` (accepted when undefined) and gives the credit back. */
  private answer(delivery: Delivery, outcome: unknown): void {
    if (this.receiver.is_closed()) return;
    if (outcome === undefined) delivery.accept();
    else delivery.update(true, outcome as never);
    this.receiver.add_credit(1);
  }
}
