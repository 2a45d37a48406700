import type { EndTransactionRequest } from './end-transaction-request';
import type { TransactionCheck } from './transaction-check';
import type { TransactionCheckPoll } from './transaction-check-poll';

export const TransactionCoordinator = Symbol.for('tessera.TransactionCoordinator');

/**
 * Transactional messages (RocketMQ's model), bound by a feature plugin (feature-transaction).
 * Producers send half messages, which consumers cannot see, then end each transaction; a half
 * left undecided is checked back through a live producer of its group. Protocol adapters reach
 * it through the Broker facade only.
 */
export interface TransactionCoordinator {
  /** Applies a decision; idempotent: a decision on a half already resolved changes nothing. */
  endTransaction(request: EndTransactionRequest): Promise<void>;
  /** Checks for this producer: at once when some are waiting for it, else when one comes or `maxWaitMs` passes (then empty). */
  pollChecks(poll: TransactionCheckPoll): Promise<TransactionCheck[]>;
}
