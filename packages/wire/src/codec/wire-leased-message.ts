import type { WireStoredMessage } from './wire-stored-message';

/** A message leased to one per-message-ack (POP) consumer until `leaseExpiresAt`. */
export interface WireLeasedMessage {
  message: WireStoredMessage;
  /** Names this lease in ack, nack and change-invisible-time; opaque to the client. */
  receipt: string;
  /** 1 on first delivery; raised by every nack and lease expiry. */
  deliveryCount: number;
  /** Epoch ms after which the message becomes visible to others again. */
  leaseExpiresAt: number;
}
