import { tagHash, type ReadFilter, type StoredMessage } from '@tessera/kernel';
import { invalidExpression } from '../invalid-expression';

/**
 * The filter of a tag subscription: `*` or empty takes everything (no filter); `TagA || TagB`
 * keeps messages carrying one of the tags. The queue index holds each message's tag hash, so most
 * messages are skipped without reading the log; the exact tag is checked after, since different
 * tags may share a hash. Throws TesseraError(SUBSCRIPTION_INVALID) for an empty alternative or a
 * `*` among tags.
 */
export function tagReadFilter(expression: string): ReadFilter | undefined {
  const trimmed = expression.trim();
  if (trimmed === '' || trimmed === '*') return undefined;
  const tags = new Set<string>();
  let start = 0;
  for (;;) {
    const end = expression.indexOf('||', start);
    const alternative = expression.slice(start, end < 0 ? expression.length : end);
    const tag = alternative.trim();
    const position = start + (tag === '' ? alternative.length : alternative.indexOf(tag)) + 1;
    if (tag === '') {
      const found = end < 0 ? 'end of input' : '"||"';
      throw invalidExpression('tag', expression, position, `expected a tag, found ${found}`);
    }
    if (tag === '*') throw invalidExpression('tag', expression, position, '"*" takes every message and cannot be combined with tags');
    tags.add(tag);
    if (end < 0) break;
    start = end + 2;
  }
  const hashes = new Set<number>();
  for (const tag of tags) hashes.add(tagHash(tag));
  return {
    matchQueueEntry: (hash: number) => hashes.has(hash),
    matchMessage: (message: StoredMessage) => message.tag !== undefined && tags.has(message.tag),
  };
}
