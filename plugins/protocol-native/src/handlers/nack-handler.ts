import type { Broker } from '@tessera/kernel';
import { nackRequestCodec, RequestCode, settleResponseCodec, type NackRequest, type SettleResponse } from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class NackHandler implements RequestHandler<NackRequest, SettleResponse> {
  readonly code = RequestCode.NACK;
  readonly requestCodec = nackRequestCodec;
  readonly responseCodec = settleResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: NackRequest): Promise<SettleResponse> {
    return { results: await this.broker.nack(request.group, request.receipts, request.redeliverAfterMs) };
  }

  estimateResponseBytes(response: SettleResponse): number {
    return 4 + response.results.length;
  }
}
