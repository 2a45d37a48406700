import { ResponseCode } from '@tessera/wire';
import { BrokerError } from './broker-error';
import { ConnectionError } from './connection-error';
import { RequestTimeoutError } from './request-timeout-error';

const RETRIABLE_BROKER_CODES = new Set<number>([ResponseCode.SYSTEM_BUSY, ResponseCode.FLUSH_TIMEOUT, ResponseCode.STORE_UNAVAILABLE]);

/** Worth another attempt (on another queue): transport trouble or a broker that is busy for now. */
export function isRetriableError(error: unknown): boolean {
  if (error instanceof ConnectionError || error instanceof RequestTimeoutError) return true;
  return error instanceof BrokerError && RETRIABLE_BROKER_CODES.has(error.responseCode);
}
