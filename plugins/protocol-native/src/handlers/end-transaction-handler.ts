import type { Broker } from '@tessera/kernel';
import { emptyBodyCodec, endTransactionRequestCodec, RequestCode, type EndTransactionRequest } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class EndTransactionHandler implements RequestHandler<EndTransactionRequest, void> {
  readonly code = RequestCode.END_TRANSACTION;
  readonly requestCodec = endTransactionRequestCodec;
  readonly responseCodec = emptyBodyCodec;

  constructor(private readonly broker: Broker) {}

  handle(request: EndTransactionRequest): Promise<void> {
    return this.broker.endTransaction(request);
  }
}
