import type { Broker } from '@tessera/kernel';
import {
  RequestCode,
  searchOffsetByTimeRequestCodec,
  searchOffsetByTimeResponseCodec,
  type SearchOffsetByTimeRequest,
  type SearchOffsetByTimeResponse,
} from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class SearchOffsetByTimeHandler implements RequestHandler<SearchOffsetByTimeRequest, SearchOffsetByTimeResponse> {
  readonly code = RequestCode.SEARCH_OFFSET_BY_TIME;
  readonly requestCodec = searchOffsetByTimeRequestCodec;
  readonly responseCodec = searchOffsetByTimeResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: SearchOffsetByTimeRequest): Promise<SearchOffsetByTimeResponse> {
    this.broker.topics.require(request.topic);
    return { offset: await this.broker.offsetForTimestamp(request.topic, request.queueId, request.timestamp) };
  }
}
