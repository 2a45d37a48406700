import type { Broker } from '@tessera/kernel';
import { ackRequestCodec, RequestCode, settleResponseCodec, type AckRequest, type SettleResponse } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class AckHandler implements RequestHandler<AckRequest, SettleResponse> {
  readonly code = RequestCode.ACK;
  readonly requestCodec = ackRequestCodec;
  readonly responseCodec = settleResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: AckRequest): Promise<SettleResponse> {
    return { results: await this.broker.ack(request.group, request.receipts) };
  }

  estimateResponseBytes(response: SettleResponse): number {
    return 4 + response.results.length;
  }
}
