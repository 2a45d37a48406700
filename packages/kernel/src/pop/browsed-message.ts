import type { StoredMessage } from '../message/stored-message';

/** A message a browser saw: not acked by the group, possibly leased to one of its consumers now. */
export interface BrowsedMessage {
  message: StoredMessage;
  /** Deliveries to the group's consumers so far (0: never delivered). */
  deliveryCount: number;
}
