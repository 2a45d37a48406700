import type { StoredMessage } from '../message/stored-message';

/** A message leased to one consumer; `receipt` names this lease for ack, nack and extension. */
export interface LeasedMessage {
  message: StoredMessage;
  /** Opaque; a receipt of an expired or settled lease is refused (STALE, or RECEIPT_STALE for a lease change). */
  receipt: string;
  /** 1 on first delivery; each redelivery (after a nack or a lease expiry) is one more. */
  deliveryCount: number;
  leaseExpiresAt: number;
}
