import { ResponseCode } from '@tessera/wire';
import { BrokerError } from './broker-error';
import { InvalidSubscriptionError } from './invalid-subscription-error';
import { MessageTooLargeError } from './message-too-large-error';
import { NoPermissionError } from './no-permission-error';
import { QueueNotOwnedError } from './queue-not-owned-error';
import { ReceiptStaleError } from './receipt-stale-error';
import { TopicNotFoundError } from './topic-not-found-error';

/** The most specific error class for a broker's error response. */
export function brokerErrorFor(status: number, message: string): BrokerError {
  switch (status) {
    case ResponseCode.TOPIC_NOT_FOUND:
      return new TopicNotFoundError(message);
    case ResponseCode.MESSAGE_TOO_LARGE:
      return new MessageTooLargeError(message);
    case ResponseCode.NO_PERMISSION:
      return new NoPermissionError(message);
    case ResponseCode.SUBSCRIPTION_INVALID:
      return new InvalidSubscriptionError(message);
    case ResponseCode.QUEUE_NOT_OWNED:
      return new QueueNotOwnedError(message);
    case ResponseCode.RECEIPT_STALE:
      return new ReceiptStaleError(message);
    default:
      return new BrokerError(status, message);
  }
}
