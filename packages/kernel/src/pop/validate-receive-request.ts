import { ErrorCode } from '../errors/error-code';
import { TesseraError } from '../errors/tessera-error';
import { MAX_INVISIBLE_MS, type ReceiveRequest } from './receive-request';

/** Throws TesseraError(BAD_REQUEST) naming the first field of `request` out of its range. */
export function validateReceiveRequest(request: ReceiveRequest): void {
  if (typeof request.group !== 'string' || request.group.length === 0) throw badRequest('a receive needs a group');
  if (typeof request.clientId !== 'string' || request.clientId.length === 0) throw badRequest('a receive needs a client id');
  validateReadBounds(request);
  if (request.startFrom !== undefined && request.startFrom !== 'EARLIEST' && request.startFrom !== 'LATEST') {
    throw badRequest(`startFrom must be EARLIEST or LATEST, got ${JSON.stringify(request.startFrom)}`);
  }
  validateDelayMs('invisibleMs', request.invisibleMs, 1);
}

/** Throws TesseraError(BAD_REQUEST) naming the first of a receive's or a browse's bounds out of its range. */
export function validateReadBounds(request: Pick<ReceiveRequest, 'maxCount' | 'maxBytes' | 'maxWaitMs'>): void {
  if (!Number.isInteger(request.maxCount) || request.maxCount < 1) {
    throw badRequest(`maxCount must be a positive integer, got ${request.maxCount}`);
  }
  if (request.maxBytes !== undefined && (!Number.isInteger(request.maxBytes) || request.maxBytes < 1)) {
    throw badRequest(`maxBytes must be a positive integer, got ${request.maxBytes}`);
  }
  if (request.maxWaitMs !== undefined && (!Number.isInteger(request.maxWaitMs) || request.maxWaitMs < 0)) {
    throw badRequest(`maxWaitMs must be a non-negative integer, got ${request.maxWaitMs}`);
  }
}

/** Throws TesseraError(BAD_REQUEST) unless `value` is an integer from `min` to MAX_INVISIBLE_MS. */
export function validateDelayMs(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > MAX_INVISIBLE_MS) {
    throw badRequest(`${name} must be an integer from ${min} to ${MAX_INVISIBLE_MS}, got ${value}`);
  }
}

function badRequest(message: string): TesseraError {
  return new TesseraError(ErrorCode.BAD_REQUEST, message);
}
