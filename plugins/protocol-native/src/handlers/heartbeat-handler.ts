import type { Broker } from '@tessera/kernel';
import { heartbeatRequestCodec, heartbeatResponseCodec, RequestCode, type HeartbeatRequest, type HeartbeatResponse } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class HeartbeatHandler implements RequestHandler<HeartbeatRequest, HeartbeatResponse> {
  readonly code = RequestCode.HEARTBEAT;
  readonly requestCodec = heartbeatRequestCodec;
  readonly responseCodec = heartbeatResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: HeartbeatRequest): Promise<HeartbeatResponse> {
    await this.broker.heartbeat(request);
    return { sessionTimeoutMs: this.broker.settings.groupSessionTimeoutMs };
  }
}
