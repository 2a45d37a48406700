import { ResponseCode } from '@tessera/wire';
import { BrokerError } from './broker-error';

/** The member does not own the queue (any more): it was reset under it, or the member was presumed dead. */
export class QueueNotOwnedError extends BrokerError {
  constructor(message: string) {
    super(ResponseCode.QUEUE_NOT_OWNED, message);
  }
}
