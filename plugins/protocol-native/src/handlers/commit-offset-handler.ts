import type { Broker } from '@tessera/kernel';
import { commitOffsetRequestCodec, emptyBodyCodec, RequestCode, type CommitOffsetRequest } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class CommitOffsetHandler implements RequestHandler<CommitOffsetRequest, void> {
  readonly code = RequestCode.COMMIT_OFFSET;
  readonly requestCodec = commitOffsetRequestCodec;
  readonly responseCodec = emptyBodyCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: CommitOffsetRequest): Promise<void> {
    this.broker.topics.require(request.topic);
    this.broker.commitOffset(request.group, request.topic, request.queueId, request.offset, request.clientId);
  }
}
