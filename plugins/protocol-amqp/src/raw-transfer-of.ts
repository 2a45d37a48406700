import type { Delivery } from 'rhea';
import { IncomingDelivery } from './lean-incoming-deliveries';

/** The bytes of an incoming transfer's annotated message as sent (format 0), for a front that keeps them byte-exact. */
export function rawTransferOf(delivery: Delivery): Buffer | undefined {
  return delivery instanceof IncomingDelivery ? delivery.raw : undefined;
}
