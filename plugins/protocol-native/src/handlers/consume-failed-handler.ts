import type { Broker } from '@tessera/kernel';
import { ErrorCode, TesseraError } from '@tessera/kernel';
import {
  consumeFailedRequestCodec,
  consumeFailedResponseCodec,
  RequestCode,
  type ConsumeFailedRequest,
  type ConsumeFailedResponse,
} from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class ConsumeFailedHandler implements RequestHandler<ConsumeFailedRequest, ConsumeFailedResponse> {
  readonly code = RequestCode.CONSUME_FAILED;
  readonly requestCodec = consumeFailedRequestCodec;
  readonly responseCodec = consumeFailedResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: ConsumeFailedRequest): Promise<ConsumeFailedResponse> {
    const message = await this.broker.getMessageById(request.msgId);
    if (!message) throw new TesseraError(ErrorCode.MESSAGE_NOT_FOUND, `message ${request.msgId} does not exist`);
    const tookCharge = await this.broker.reportConsumeFailure({
      group: request.group,
      message,
      reason: request.reason,
      delayLevel: request.delayLevel,
      deliveryCount: request.deliveryCount,
    });
    return { tookCharge };
  }
}
