import type { Broker } from '@tessera/kernel';
import { getRouteRequestCodec, getRouteResponseCodec, RequestCode, type GetRouteRequest, type GetRouteResponse } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class GetRouteHandler implements RequestHandler<GetRouteRequest, GetRouteResponse> {
  readonly code = RequestCode.GET_ROUTE;
  readonly requestCodec = getRouteRequestCodec;
  readonly responseCodec = getRouteResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: GetRouteRequest): Promise<GetRouteResponse> {
    const topic = this.broker.topics.require(request.topic);
    return { writeQueueCount: topic.writeQueueCount, readQueueCount: topic.readQueueCount, permission: topic.permission };
  }
}
