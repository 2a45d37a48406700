import type { StoredMessage } from '../message/stored-message';

/** The broker asks a producer how the local transaction of a half message ended. */
export interface TransactionCheck {
  transactionId: string;
  halfMsgId: string;
  /** The half message as the producer sent it: its real topic and queue, the half's id, offset and store time. */
  message: StoredMessage;
}
