import { ErrorCode, TesseraError } from '@tessera/kernel';

/**
 * The error a refused subscription expression gets: which expression, the 1-based position of the
 * offending character or token (one past the end for "end of input"), and why.
 */
export function invalidExpression(kind: 'SQL92' | 'tag', expression: string, position: number, reason: string): TesseraError {
  return new TesseraError(ErrorCode.SUBSCRIPTION_INVALID, `${kind} expression ${JSON.stringify(expression)} at ${position}: ${reason}`);
}
