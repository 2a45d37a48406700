import type { Broker } from '@tessera/kernel';
import { receiveRequestCodec, receiveResponseCodec, RequestCode, wireLeasedMessageListCodec, type ReceiveRequest, type ReceiveResponse } from '@tessera/wire';
import type { RequestContext } from '../request-context';
import type { RequestHandler } from '../request-handler';

/** Per-message-ack (POP) receive: held like a long-polled pull while nothing is visible. */
export class ReceiveHandler implements RequestHandler<ReceiveRequest, ReceiveResponse> {
  readonly code = RequestCode.RECEIVE;
  readonly requestCodec = receiveRequestCodec;
  readonly responseCodec = receiveResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: ReceiveRequest, context: RequestContext): Promise<ReceiveResponse> {
    const holds = request.maxWaitMs > 0 && context.tryHoldPull();
    try {
      const messages = await this.broker.receive({
        group: request.group,
        topic: request.topic,
        clientId: request.clientId,
        queueId: request.queueId,
        maxCount: request.maxCount,
        maxBytes: request.maxBytes,
        invisibleMs: request.invisibleMs,
        maxWaitMs: holds ? request.maxWaitMs : 0,
        subscription: request.subscription && {
          group: request.group,
          topic: request.topic,
          expressionType: request.subscription.expressionType,
          expression: request.subscription.expression,
        },
        signal: context.signal,
      });
      return { messages };
    } finally {
      if (holds) context.releasePull();
    }
  }

  estimateResponseBytes(response: ReceiveResponse): number {
    return 16 + wireLeasedMessageListCodec.estimateBytes(response.messages);
  }
}
