import type { Broker } from '@tessera/kernel';
import { createTopicRequestCodec, RequestCode, topicInfoCodec, type CreateTopicRequest, type TopicInfo } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class CreateTopicHandler implements RequestHandler<CreateTopicRequest, TopicInfo> {
  readonly code = RequestCode.CREATE_TOPIC;
  readonly requestCodec = createTopicRequestCodec;
  readonly responseCodec = topicInfoCodec;

  constructor(private readonly broker: Broker) {}

  handle(request: CreateTopicRequest): Promise<TopicInfo> {
    return this.broker.topics.create(request);
  }
}
