import { TesseraClientError } from './tessera-client-error';

/** The broker could not be reached, or the connection dropped while the request was in flight. */
export class ConnectionError extends TesseraClientError {
  constructor(message: string) {
    super('CONNECTION_ERROR', message);
  }
}
