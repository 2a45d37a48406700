import { ResponseCode } from '@tessera/wire';
import { BrokerError } from './broker-error';
import { InvalidSubscriptionError } from './invalid-subscription-error';
import { MessageTooLargeError } from './message-too-large-error';
import { NoPermissionError } from './no-permission-error';
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
    default:
      return new BrokerError(status, message);
  }
}
