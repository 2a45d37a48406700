import type { Broker } from '@tessera/kernel';
import {
  queryAssignmentRequestCodec,
  queryAssignmentResponseCodec,
  RequestCode,
  type QueryAssignmentRequest,
  type QueryAssignmentResponse,
} from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class QueryAssignmentHandler implements RequestHandler<QueryAssignmentRequest, QueryAssignmentResponse> {
  readonly code = RequestCode.QUERY_ASSIGNMENT;
  readonly requestCodec = queryAssignmentRequestCodec;
  readonly responseCodec = queryAssignmentResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: QueryAssignmentRequest): Promise<QueryAssignmentResponse> {
    return { queueIds: await this.broker.assignment(request.group, request.topic, request.clientId) };
  }
}
