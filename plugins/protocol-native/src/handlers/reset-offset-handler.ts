import type { Broker } from '@tessera/kernel';
import { RequestCode, resetOffsetRequestCodec, resetOffsetResponseCodec, type ResetOffsetRequest, type ResetOffsetResponse } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class ResetOffsetHandler implements RequestHandler<ResetOffsetRequest, ResetOffsetResponse> {
  readonly code = RequestCode.RESET_OFFSET;
  readonly requestCodec = resetOffsetRequestCodec;
  readonly responseCodec = resetOffsetResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: ResetOffsetRequest): Promise<ResetOffsetResponse> {
    // The codec guarantees exactly one of the two targets.
    const target = request.toOffset !== undefined ? { offset: request.toOffset } : { timestamp: request.toTimestamp! };
    return { queues: await this.broker.resetOffsets(request.group, request.topic, target) };
  }

  estimateResponseBytes(response: ResetOffsetResponse): number {
    return 2 + response.queues.length * 10;
  }
}
