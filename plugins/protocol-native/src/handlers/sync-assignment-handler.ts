import type { Broker } from '@tessera/kernel';
import {
  RequestCode,
  syncAssignmentRequestCodec,
  syncAssignmentResponseCodec,
  type SyncAssignmentRequest,
  type SyncAssignmentResponse,
} from '@tessera/wire';
import type { RequestContext } from '../request-context';
import type { RequestHandler } from '../request-handler';

/** Held like a long-polled pull (it takes one of the connection's slots) until the assignment changes. */
export class SyncAssignmentHandler implements RequestHandler<SyncAssignmentRequest, SyncAssignmentResponse> {
  readonly code = RequestCode.SYNC_ASSIGNMENT;
  readonly requestCodec = syncAssignmentRequestCodec;
  readonly responseCodec = syncAssignmentResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: SyncAssignmentRequest, context: RequestContext): Promise<SyncAssignmentResponse> {
    // Without a known generation the kernel answers at once, so no slot is taken for it.
    const holds = request.maxWaitMs > 0 && request.knownGeneration !== undefined && context.tryHoldPull();
    try {
      return await this.broker.syncAssignment({
        group: request.group,
        topic: request.topic,
        clientId: request.clientId,
        held: request.held,
        knownGeneration: request.knownGeneration,
        maxWaitMs: holds ? request.maxWaitMs : 0,
        signal: context.signal,
      });
    } finally {
      if (holds) context.releasePull();
    }
  }

  estimateResponseBytes(response: SyncAssignmentResponse): number {
    return 24 + 2 * (response.owned.length + response.revoked.length);
  }
}
