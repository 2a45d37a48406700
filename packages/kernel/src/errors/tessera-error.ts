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

  /** Recognises a TesseraError by shape too, so it works across two loaded copies of the kernel. */
  static is(error: unknown, code?: ErrorCode): error is TesseraError {
    const candidate = error as Partial<TesseraError> | undefined;
    const isTesseraError =
      error instanceof TesseraError ||
      (error instanceof Error && candidate!.name === 'TesseraError' && typeof candidate!.code === 'number');
    return isTesseraError && (code === undefined || candidate!.code === code);
  }
}
