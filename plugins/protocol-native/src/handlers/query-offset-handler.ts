import type { Broker } from '@tessera/kernel';
import { queryOffsetRequestCodec, queryOffsetResponseCodec, RequestCode, type QueryOffsetRequest, type QueryOffsetResponse } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class QueryOffsetHandler implements RequestHandler<QueryOffsetRequest, QueryOffsetResponse> {
  readonly code = RequestCode.QUERY_OFFSET;
  readonly requestCodec = queryOffsetRequestCodec;
  readonly responseCodec = queryOffsetResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: QueryOffsetRequest): Promise<QueryOffsetResponse> {
    return { offset: this.broker.committedOffset(request.group, request.topic, request.queueId) };
  }
}
