import { ResponseCode } from '@tessera/wire';
import { BrokerError } from './broker-error';

/** A message body exceeds the broker's maxMessageBytes; retrying cannot help. */
export class MessageTooLargeError extends BrokerError {
  constructor(message: string) {
    super(ResponseCode.MESSAGE_TOO_LARGE, message);
  }
}
