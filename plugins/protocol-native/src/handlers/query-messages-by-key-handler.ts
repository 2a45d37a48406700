import type { Broker } from '@tessera/kernel';
import {
  queryMessagesByKeyRequestCodec,
  queryMessagesByKeyResponseCodec,
  RequestCode,
  wireStoredMessageCodec,
  type QueryMessagesByKeyRequest,
  type QueryMessagesByKeyResponse,
} from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class QueryMessagesByKeyHandler implements RequestHandler<QueryMessagesByKeyRequest, QueryMessagesByKeyResponse> {
  readonly code = RequestCode.QUERY_MESSAGES_BY_KEY;
  readonly requestCodec = queryMessagesByKeyRequestCodec;
  readonly responseCodec = queryMessagesByKeyResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: QueryMessagesByKeyRequest): Promise<QueryMessagesByKeyResponse> {
    this.broker.topics.require(request.topic);
    return { messages: await this.broker.queryMessagesByKey(request) };
  }

  estimateResponseBytes(response: QueryMessagesByKeyResponse): number {
    return 8 + wireStoredMessageCodec.estimateBytes(response.messages);
  }
}
