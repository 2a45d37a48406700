import { TesseraError } from '@tessera/kernel';
import { ResponseCode, WireFormatError } from '@tessera/wire';

export interface ErrorResponse {
  status: ResponseCode;
  message: string;
  /** Not the client's fault: worth a log line on the broker. */
  unexpected: boolean;
}

/** What a client is told about a failed request: the kernel's code and message, or a generic one. */
export function errorResponse(error: unknown): ErrorResponse {
  if (TesseraError.is(error) && ResponseCode[error.code] !== undefined) return { status: error.code as number as ResponseCode, message: error.message, unexpected: false };
  if (error instanceof WireFormatError) return { status: ResponseCode.BAD_REQUEST, message: `malformed request body: ${error.message}`, unexpected: false };
  if (error instanceof RangeError) return { status: ResponseCode.BAD_REQUEST, message: error.message, unexpected: false };
  return { status: ResponseCode.SYSTEM_ERROR, message: `internal error: ${(error as Error)?.message ?? String(error)}`, unexpected: true };
}
