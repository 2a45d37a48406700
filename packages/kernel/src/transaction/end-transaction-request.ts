import type { TransactionDecision } from './transaction-decision';

/** A producer's decision on one half message, sent after its local transaction or in answer to a check. */
export interface EndTransactionRequest {
  producerGroup: string;
  transactionId: string;
  /** The half message's id, as the send of the half returned it. */
  halfMsgId: string;
  decision: TransactionDecision;
  /** True when the decision answers a check the broker sent (see TransactionCheck). */
  fromCheck: boolean;
}
