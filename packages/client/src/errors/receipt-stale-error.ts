import { ResponseCode } from '@tessera/wire';
import { BrokerError } from './broker-error';

/**
 * A lease had expired or was already settled, so the message may be delivered again. `staleReceipts`
 * names them when the error comes from a batch ack or nack whose other receipts were settled.
 */
export class ReceiptStaleError extends BrokerError {
  constructor(
    message: string,
    readonly staleReceipts: readonly string[] = [],
  ) {
    super(ResponseCode.RECEIPT_STALE, message);
  }
}
