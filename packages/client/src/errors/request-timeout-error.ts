import { TesseraClientError } from './tessera-client-error';

/** No response within the request's timeout; the broker may still have acted on it. */
export class RequestTimeoutError extends TesseraClientError {
  constructor(message: string) {
    super('REQUEST_TIMEOUT', message);
  }
}
