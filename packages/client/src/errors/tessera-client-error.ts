/** Every error the SDK raises. `code` is a stable name: CONNECTION_ERROR, REQUEST_TIMEOUT, or the broker's code name. */
export class TesseraClientError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
