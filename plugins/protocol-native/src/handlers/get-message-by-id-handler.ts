import type { Broker } from '@tessera/kernel';
import { ErrorCode, TesseraError } from '@tessera/kernel';
import {
  getMessageByIdRequestCodec,
  getMessageByIdResponseCodec,
  RequestCode,
  wireStoredMessageCodec,
  type GetMessageByIdRequest,
  type GetMessageByIdResponse,
} from '@tessera/wire';
import type { RequestHandler } from '../request-handler';

export class GetMessageByIdHandler implements RequestHandler<GetMessageByIdRequest, GetMessageByIdResponse> {
  readonly code = RequestCode.GET_MESSAGE_BY_ID;
  readonly requestCodec = getMessageByIdRequestCodec;
  readonly responseCodec = getMessageByIdResponseCodec;

  constructor(private readonly broker: Broker) {}

  async handle(request: GetMessageByIdRequest): Promise<GetMessageByIdResponse> {
    const message = await this.broker.getMessageById(request.msgId);
    if (!message) throw new TesseraError(ErrorCode.MESSAGE_NOT_FOUND, `message ${request.msgId} does not exist`);
    return { message };
  }

  estimateResponseBytes(response: GetMessageByIdResponse): number {
    return wireStoredMessageCodec.estimateBytes([response.message]);
  }
}
