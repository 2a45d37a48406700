import type { Broker } from '@tessera/kernel';
import { emptyBodyCodec, heartbeatRequestCodec, RequestCode, type HeartbeatRequest } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class HeartbeatHandler implements RequestHandler<HeartbeatRequest, void> {
  readonly code = RequestCode.HEARTBEAT;
  readonly requestCodec = heartbeatRequestCodec;
  readonly responseCodec = emptyBodyCodec;

  constructor(private readonly broker: Broker) {}

  handle(request: HeartbeatRequest): Promise<void> {
    return this.broker.heartbeat(request);
  }
}
