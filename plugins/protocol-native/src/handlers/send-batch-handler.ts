import type { Broker, MessageInput } from '@tessera/kernel';
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
    const produced = await this.broker.produce(request.messages as MessageInput[], {
      protocol: 'native',
      producerGroup: request.producerGroup,
    });
    const results = new Array<SendBatchResponse['results'][number]>(produced.length);
    for (let i = 0; i < produced.length; i++) {
      const p = produced[i]!;
      results[i] = { msgId: p.msgId, queueId: p.queueId, queueOffset: p.queueOffset };
    }
    return { results };
  }

  estimateResponseBytes(response: SendBatchResponse): number {
    return 8 + response.results.length * 40;
  }
}
