import {
  commitOffsetRequestCodec,
  emptyBodyCodec,
  getRouteRequestCodec,
  getRouteResponseCodec,
  pullRequestCodec,
  pullResponseCodec,
  queryOffsetRequestCodec,
  queryOffsetResponseCodec,
  queueRangeRequestCodec,
  queueRangeResponseCodec,
  RequestCode,
  searchOffsetByTimeRequestCodec,
  searchOffsetByTimeResponseCodec,
  type GetRouteResponse,
  type PullRequest,
  type QueueRangeResponse,
} from '@tessera/wire';
import { BrokerConnection } from '../connection/broker-connection';
import type { PullResult } from '../message/pull-result';
import type { PullRequestOptions } from './pull-request-options';
import { wireSubscriptionFor } from './wire-subscription-for';

const DEFAULT_SERVER = '127.0.0.1:10911';
const REQUEST_TIMEOUT_MS = 5000;

/** Reads queues at offsets the caller chooses; offsets can be committed for a group. */
export class PullConsumer {
  private readonly connection: BrokerConnection;

  constructor(private readonly options: { server?: string; group?: string } = {}) {
    this.connection = new BrokerConnection({ server: options.server ?? DEFAULT_SERVER, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  }

  start(): Promise<void> {
    return this.connection.open();
  }

  shutdown(): Promise<void> {
    return this.connection.close();
  }

  async pull(request: PullRequestOptions): Promise<PullResult> {
    const maxWaitMs = request.maxWaitMs ?? 0;
    const subscription = wireSubscriptionFor(request.tagExpression, request.sqlExpression);
    const wireRequest: PullRequest = {
      group: this.options.group,
      topic: request.topic,
      queueId: request.queueId,
      offset: request.offset,
      maxCount: request.maxCount ?? 32,
      maxBytes: request.maxBytes ?? 4 * 1024 * 1024,
      maxWaitMs,
    };
    if (subscription) wireRequest.subscription = subscription;
    const response = await this.connection.request(RequestCode.PULL, pullRequestCodec, wireRequest, pullResponseCodec, {
      timeoutMs: REQUEST_TIMEOUT_MS + maxWaitMs,
    });
    return {
      status: response.status,
      messages: response.messages,
      nextOffset: response.nextOffset,
      minOffset: response.minOffset,
      maxOffset: response.maxOffset,
    };
  }

  queueRange(topic: string, queueId: number): Promise<QueueRangeResponse> {
    return this.connection.request(RequestCode.QUEUE_RANGE, queueRangeRequestCodec, { topic, queueId }, queueRangeResponseCodec);
  }

  route(topic: string): Promise<GetRouteResponse> {
    return this.connection.request(RequestCode.GET_ROUTE, getRouteRequestCodec, { topic }, getRouteResponseCodec);
  }

  commitOffset(group: string, topic: string, queueId: number, offset: number): Promise<void> {
    return this.connection.request(RequestCode.COMMIT_OFFSET, commitOffsetRequestCodec, { group, topic, queueId, offset }, emptyBodyCodec);
  }

  async committedOffset(group: string, topic: string, queueId: number): Promise<number | undefined> {
    const response = await this.connection.request(RequestCode.QUERY_OFFSET, queryOffsetRequestCodec, { group, topic, queueId }, queryOffsetResponseCodec);
    return response.offset;
  }

  async offsetForTimestamp(topic: string, queueId: number, timestamp: number): Promise<number> {
    const response = await this.connection.request(
      RequestCode.SEARCH_OFFSET_BY_TIME,
      searchOffsetByTimeRequestCodec,
      { topic, queueId, timestamp },
      searchOffsetByTimeResponseCodec,
    );
    return response.offset;
  }
}
