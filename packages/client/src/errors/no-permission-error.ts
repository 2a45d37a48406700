import { ResponseCode } from '@tessera/wire';
import { BrokerError } from './broker-error';

/** The topic's permission forbids this read or write. */
export class NoPermissionError extends BrokerError {
  constructor(message: string) {
    super(ResponseCode.NO_PERMISSION, message);
  }
}
