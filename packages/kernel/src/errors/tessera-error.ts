import { ErrorCode } from './error-code';

/** An error the broker reports to a client: a stable code plus a message saying what went wrong. */
export class TesseraError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TesseraError';
  }

  static is(error: unknown, code?: ErrorCode): error is TesseraError {
    return error instanceof TesseraError && (code === undefined || error.code === code);
  }
}
