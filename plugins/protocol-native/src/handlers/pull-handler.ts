import type { Broker } from '@tessera/kernel';
import { pullRequestCodec, pullResponseCodec, RequestCode, wireStoredMessageCodec, type PullRequest, type PullResponse } from '@tessera/wire';
import type { RequestContext } from '../request-context';
import type { RequestHandler } from '../request-handler';

export class PullHandler implements RequestHandler<PullRequest, PullResponse> {
  readonly code = RequestCode.PULL;
  readonly requestCodec = pullRequestCodec;
  readonly responseCodec = pullResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: PullRequest, context: RequestContext): Promise<PullResponse> {
    const holds = request.maxWaitMs > 0 && context.tryHoldPull();
    try {
      return await this.broker.pull({
        topic: request.topic,
        queueId: request.queueId,
        offset: request.offset,
        maxCount: request.maxCount,
        maxBytes: request.maxBytes,
        maxWaitMs: holds ? request.maxWaitMs : 0,
        subscription: request.subscription && {
          group: request.group ?? '',
          topic: request.topic,
          expressionType: request.subscription.expressionType,
          expression: request.subscription.expression,
        },
        signal: context.signal,
      });
    } finally {
      if (holds) context.releasePull();
    }
  }

  estimateResponseBytes(response: PullResponse): number {
    return 64 + wireStoredMessageCodec.estimateBytes(response.messages);
  }
}
