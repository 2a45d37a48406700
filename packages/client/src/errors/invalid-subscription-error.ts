import { ResponseCode } from '@tessera/wire';
import { BrokerError } from './broker-error';

/** The subscription expression is invalid or no broker plugin can evaluate it. */
export class InvalidSubscriptionError extends BrokerError {
  constructor(message: string) {
    super(ResponseCode.SUBSCRIPTION_INVALID, message);
  }
}
