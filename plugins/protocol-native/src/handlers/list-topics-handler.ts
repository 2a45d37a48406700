import type { Broker } from '@tessera/kernel';
import { listTopicsRequestCodec, listTopicsResponseCodec, RequestCode, type ListTopicsRequest, type ListTopicsResponse } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class ListTopicsHandler implements RequestHandler<ListTopicsRequest, ListTopicsResponse> {
  readonly code = RequestCode.LIST_TOPICS;
  readonly requestCodec = listTopicsRequestCodec;
  readonly responseCodec = listTopicsResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: ListTopicsRequest): Promise<ListTopicsResponse> {
    return { topics: this.broker.topics.list(request.includeSystem) };
  }

  estimateResponseBytes(response: ListTopicsResponse): number {
    return 8 + response.topics.length * 160;
  }
}
