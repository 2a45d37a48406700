import { ResponseCode } from '@tessera/wire';
import { BrokerError } from './broker-error';

/** The topic does not exist (and the broker did not auto-create it). */
export class TopicNotFoundError extends BrokerError {
  constructor(message: string) {
    super(ResponseCode.TOPIC_NOT_FOUND, message);
  }
}
