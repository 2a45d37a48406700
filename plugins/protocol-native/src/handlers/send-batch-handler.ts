import type { Broker } from '@tessera/kernel';
import { ErrorCode, TesseraError } from '@tessera/kernel';
import { RequestCode, sendBatchRequestCodec, sendBatchResponseCodec, type SendBatchRequest, type SendBatchResponse } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class SendBatchHandler implements RequestHandler<SendBatchRequest, SendBatchResponse> {
  readonly code = RequestCode.SEND_BATCH;
  readonly requestCodec = sendBatchRequestCodec;
  readonly responseCodec = sendBatchResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: SendBatchRequest): Promise<SendBatchResponse> {
    if (request.messages.length === 0) throw new TesseraError(ErrorCode.BAD_REQUEST, 'a batch needs at least one message');
    // The kernel's results carry every field the response encodes; they are encoded as they are.
    const results = await this.broker.produce(request.messages, {
      protocol: 'native',
      producerGroup: request.producerGroup,
    });
    return { results };
  }

  estimateResponseBytes(response: SendBatchResponse): number {
    return 8 + response.results.length * 40;
  }
}
