import type { Message } from '../message/message';
import type { ReceivedMessage } from '../message/received-message';
import type { ProducerOptions } from './producer-options';

/** How a local transaction ended; UNKNOWN leaves the decision to a later check. */
export type LocalTransactionState = 'COMMIT' | 'ROLLBACK' | 'UNKNOWN';

/** The broker asks how the local transaction of a half message ended. */
export interface TransactionCheckRequest {
  transactionId: string;
  halfMsgId: string;
  /** The half message, with the topic and queue it was sent to. */
  message: ReceivedMessage;
}

export interface TransactionProducerOptions<Arg = unknown> extends Omit<ProducerOptions, 'producerGroup' | 'retries'> {
  /** Producers of one group answer each other's checks: any live member may be asked about any of the group's transactions. */
  producerGroup: string;
  /** Names this producer to the broker; default host@pid@random. */
  clientId?: string;
  /** Runs the local transaction once its half message is stored. A throw counts as UNKNOWN. */
  executeLocalTransaction(message: Message, arg: Arg): LocalTransactionState | Promise<LocalTransactionState>;
  /** Tells the broker how an undecided transaction ended, from the application's own records. A throw counts as UNKNOWN. */
  checkLocalTransaction(check: TransactionCheckRequest): LocalTransactionState | Promise<LocalTransactionState>;
  /** How long the broker holds one poll for checks when it has none; default 10000. */
  checkPollMs?: number;
}
