import type { Broker } from '@tessera/kernel';
import { RequestCode, topicInfoCodec, updateTopicRequestCodec, type TopicInfo, type UpdateTopicRequest } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class UpdateTopicHandler implements RequestHandler<UpdateTopicRequest, TopicInfo> {
  readonly code = RequestCode.UPDATE_TOPIC;
  readonly requestCodec = updateTopicRequestCodec;
  readonly responseCodec = topicInfoCodec;

  constructor(private readonly broker: Broker) {}

  handle({ name, ...update }: UpdateTopicRequest): Promise<TopicInfo> {
    return this.broker.topics.update(name, update);
  }
}
