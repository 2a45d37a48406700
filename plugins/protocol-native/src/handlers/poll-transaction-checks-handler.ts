import type { Broker } from '@tessera/kernel';
import {
  pollTransactionChecksRequestCodec,
  pollTransactionChecksResponseCodec,
  RequestCode,
  wireStoredMessageCodec,
  type PollTransactionChecksRequest,
  type PollTransactionChecksResponse,
} from '@tessera/wire';
import type { RequestContext } from '../request-context';
import type { RequestHandler } from '../request-handler';

/** A transactional producer waits for checks of its group: held like a long-polled pull while there are none. */
export class PollTransactionChecksHandler implements RequestHandler<PollTransactionChecksRequest, PollTransactionChecksResponse> {
  readonly code = RequestCode.POLL_TRANSACTION_CHECKS;
  readonly requestCodec = pollTransactionChecksRequestCodec;
  readonly responseCodec = pollTransactionChecksResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: PollTransactionChecksRequest, context: RequestContext): Promise<PollTransactionChecksResponse> {
    const holds = request.maxWaitMs > 0 && context.tryHoldPull();
    try {
      const checks = await this.broker.pollTransactionChecks({
        producerGroup: request.producerGroup,
        clientId: request.clientId,
        maxWaitMs: holds ? request.maxWaitMs : 0,
        signal: context.signal,
      });
      return { checks };
    } finally {
      if (holds) context.releasePull();
    }
  }

  estimateResponseBytes(response: PollTransactionChecksResponse): number {
    return 8 + wireStoredMessageCodec.estimateBytes(response.checks.map((check) => check.message)) + response.checks.length * 80;
  }
}
