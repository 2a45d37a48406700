import { ResponseCode } from '@tessera/wire';
import { TesseraClientError } from './tessera-client-error';

/** The broker refused the request: `responseCode` is its numeric code, `code` that code's name. */
export class BrokerError extends TesseraClientError {
  constructor(
    readonly responseCode: ResponseCode,
    message: string,
  ) {
    super(ResponseCode[responseCode] ?? `BROKER_ERROR_${responseCode}`, message);
  }
}
