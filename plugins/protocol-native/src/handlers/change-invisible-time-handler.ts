import type { Broker } from '@tessera/kernel';
import {
  changeInvisibleTimeRequestCodec,
  changeInvisibleTimeResponseCodec,
  RequestCode,
  type ChangeInvisibleTimeRequest,
  type ChangeInvisibleTimeResponse,
} from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class ChangeInvisibleTimeHandler implements RequestHandler<ChangeInvisibleTimeRequest, ChangeInvisibleTimeResponse> {
  readonly code = RequestCode.CHANGE_INVISIBLE_TIME;
  readonly requestCodec = changeInvisibleTimeRequestCodec;
  readonly responseCodec = changeInvisibleTimeResponseCodec;

  constructor(private readonly broker: Broker) {}

  handle(request: ChangeInvisibleTimeRequest): Promise<ChangeInvisibleTimeResponse> {
    return this.broker.changeInvisibleTime(request.group, request.receipt, request.invisibleMs);
  }
}
