import type { Broker } from '@tessera/kernel';
import { queueRangeRequestCodec, queueRangeResponseCodec, RequestCode, type QueueRangeRequest, type QueueRangeResponse } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class QueueRangeHandler implements RequestHandler<QueueRangeRequest, QueueRangeResponse> {
  readonly code = RequestCode.QUEUE_RANGE;
  readonly requestCodec = queueRangeRequestCodec;
  readonly responseCodec = queueRangeResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: QueueRangeRequest): Promise<QueueRangeResponse> {
    this.broker.topics.require(request.topic);
    return this.broker.queueRange(request.topic, request.queueId);
  }
}
