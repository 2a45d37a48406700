import type { WireLeasedMessage } from '@tessera/wire';
import type { LeasedMessage } from './leased-message';

/** The decoded message itself, with the lease's fields added: no copy per message. */
export function toLeasedMessage(leased: WireLeasedMessage): LeasedMessage {
  const message = leased.message as LeasedMessage;
  message.receipt = leased.receipt;
  message.deliveryCount = leased.deliveryCount;
  message.leaseExpiresAt = leased.leaseExpiresAt;
  return message;
}
