import type { Broker } from '@tessera/kernel';
import {
  describeTopicRequestCodec,
  describeTopicResponseCodec,
  RequestCode,
  type DescribeTopicRequest,
  type DescribeTopicResponse,
} from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class DescribeTopicHandler implements RequestHandler<DescribeTopicRequest, DescribeTopicResponse> {
  readonly code = RequestCode.DESCRIBE_TOPIC;
  readonly requestCodec = describeTopicRequestCodec;
  readonly responseCodec = describeTopicResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: DescribeTopicRequest): Promise<DescribeTopicResponse> {
    const topic = this.broker.topics.require(request.name);
    const queueCount = Math.max(topic.writeQueueCount, topic.readQueueCount);
    const queues = Array.from({ length: queueCount }, (_, queueId) => ({ queueId, ...this.broker.queueRange(topic.name, queueId) }));
    return { topic, queues };
  }

  estimateResponseBytes(response: DescribeTopicResponse): number {
    return 200 + response.queues.length * 18;
  }
}
