import type { Broker } from '@tessera/kernel';
import { emptyBodyCodec, RequestCode, unregisterClientRequestCodec, type UnregisterClientRequest } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class UnregisterClientHandler implements RequestHandler<UnregisterClientRequest, void> {
  readonly code = RequestCode.UNREGISTER_CLIENT;
  readonly requestCodec = unregisterClientRequestCodec;
  readonly responseCodec = emptyBodyCodec;

  constructor(private readonly broker: Broker) {}

  handle(request: UnregisterClientRequest): Promise<void> {
    return this.broker.leaveGroup(request.group, request.clientId);
  }
}
