import type { ReceivedMessage } from './received-message';

/** A message a SimpleConsumer received, leased to it until `leaseExpiresAt` unless acked, nacked or extended. */
export type LeasedMessage = ReceivedMessage & {
  /** Names the lease in ack, nack and changeInvisibleTime; changeInvisibleTime replaces it. */
  receipt: string;
  /** 1 on first delivery; raised by every nack and lease expiry. */
  deliveryCount: number;
  /** Epoch ms after which the message becomes visible to other consumers again. */
  leaseExpiresAt: number;
};
