import type { QueueRange, ReadResult, ReadStatus } from './storage-engine';
import type { StoredMessage } from '../message/stored-message';

/** A read's answer for a queue spanning `range`. */
export function readResultFor(range: QueueRange, status: ReadStatus, nextOffset: number, messages: StoredMessage[] = []): ReadResult {
  return { status, messages, nextOffset, minOffset: range.minOffset, maxOffset: range.maxOffset };
}

/**
 * The answer every engine gives when `offset` has nothing to scan: below the retained range,
 * at its end, or past it. Undefined when there are entries to read.
 */
export function readResultOutsideRange(range: QueueRange, offset: number): ReadResult | undefined {
  if (offset < range.minOffset) return readResultFor(range, 'OFFSET_TOO_SMALL', range.minOffset);
  if (offset === range.maxOffset) return readResultFor(range, 'NO_NEW_MESSAGE', range.maxOffset);
  if (offset > range.maxOffset) return readResultFor(range, 'OFFSET_OVERFLOW', range.maxOffset);
  return undefined;
}
