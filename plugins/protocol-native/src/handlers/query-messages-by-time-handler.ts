import type { Broker } from '@tessera/kernel';
import {
  queryMessagesByTimeRequestCodec,
  queryMessagesByTimeResponseCodec,
  RequestCode,
  wireStoredMessageCodec,
  type QueryMessagesByTimeRequest,
  type QueryMessagesByTimeResponse,
} from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

/** A time range can hold the whole log: one answer carries at most this many messages (page by time for more). */
export const MAX_MESSAGES_PER_TIME_QUERY = 1024;
/** Keeps one answer well inside a client's 16 MiB frame limit. */
export const MAX_BODY_BYTES_PER_TIME_QUERY = 8 * 1024 * 1024;

export class QueryMessagesByTimeHandler implements RequestHandler<QueryMessagesByTimeRequest, QueryMessagesByTimeResponse> {
  readonly code = RequestCode.QUERY_MESSAGES_BY_TIME;
  readonly requestCodec = queryMessagesByTimeRequestCodec;
  readonly responseCodec = queryMessagesByTimeResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: QueryMessagesByTimeRequest): Promise<QueryMessagesByTimeResponse> {
    const maxCount = Math.min(request.maxCount, MAX_MESSAGES_PER_TIME_QUERY);
    return { messages: await this.broker.queryMessagesByTime({ ...request, maxCount, maxBytes: MAX_BODY_BYTES_PER_TIME_QUERY }) };
  }

  estimateResponseBytes(response: QueryMessagesByTimeResponse): number {
    return 8 + wireStoredMessageCodec.estimateBytes(response.messages);
  }
}
