import type { Broker } from '@tessera/kernel';
import { deleteTopicRequestCodec, emptyBodyCodec, RequestCode, type DeleteTopicRequest } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class DeleteTopicHandler implements RequestHandler<DeleteTopicRequest, void> {
  readonly code = RequestCode.DELETE_TOPIC;
  readonly requestCodec = deleteTopicRequestCodec;
  readonly responseCodec = emptyBodyCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: DeleteTopicRequest): Promise<void> {
    await this.broker.deleteTopic(request.name);
  }
}
