import { ErrorCode } from '../errors/error-code';
import { TesseraError } from '../errors/tessera-error';

/** What a receipt names: one lease of one message. */
export interface PopReceipt {
  topic: string;
  queueId: number;
  offset: number;
  leaseId: number;
}

const SEPARATOR = ':';
const BASE36_NUMBER = /^[0-9a-z]{1,11}$/;

/**
 * `<queueId>:<offset>:<leaseId>:<topic>`, the numbers in base 36. Topic names cannot hold `:`
 * (see TOPIC_NAME_PATTERN), and the topic comes last, so it needs no escaping either way.
 */
export function encodePopReceipt(topic: string, queueId: number, offset: number, leaseId: number): string {
  return `${queueId.toString(36)}${SEPARATOR}${offset.toString(36)}${SEPARATOR}${leaseId.toString(36)}${SEPARATOR}${topic}`;
}

/** Throws TesseraError(BAD_REQUEST) when `receipt` is not one this broker hands out. */
export function decodePopReceipt(receipt: string): PopReceipt {
  if (typeof receipt === 'string') {
    const first = receipt.indexOf(SEPARATOR);
    const second = receipt.indexOf(SEPARATOR, first + 1);
    const third = receipt.indexOf(SEPARATOR, second + 1);
    if (first > 0 && second > first && third > second && third < receipt.length - 1) {
      const queueId = parseBase36(receipt.slice(0, first));
      const offset = parseBase36(receipt.slice(first + 1, second));
      const leaseId = parseBase36(receipt.slice(second + 1, third));
      if (queueId !== undefined && offset !== undefined && leaseId !== undefined) {
        return { topic: receipt.slice(third + 1), queueId, offset, leaseId };
      }
    }
  }
  throw new TesseraError(ErrorCode.BAD_REQUEST, `malformed receipt ${JSON.stringify(receipt)}`);
}

function parseBase36(text: string): number | undefined {
  if (!BASE36_NUMBER.test(text)) return undefined;
  const value = parseInt(text, 36);
  return Number.isSafeInteger(value) ? value : undefined;
}
