import { ErrorCode, tagHash, TesseraError, type StoredMessage } from '@tessera/kernel';
import { tagReadFilter } from './tag-read-filter';

function withTag(tag: string | undefined): StoredMessage {
  return { tag, properties: {}, keys: [] } as unknown as StoredMessage;
}

describe('tagReadFilter', () => {
  it.each(['', '  ', '*', ' * '])('takes everything for %j', (expression) => {
    expect(tagReadFilter(expression)).toBeUndefined();
  });

  it('keeps queue entries by tag hash and then messages by exact tag', () => {
    const filter = tagReadFilter(' TagA ||TagB|| Tag C ')!;
    expect(['TagA', 'TagB', 'Tag C', 'TagD', undefined].map((tag) => filter.matchQueueEntry!(tagHash(tag)))).toEqual([true, true, true, false, false]);
    expect(['TagA', 'TagB', 'Tag C', 'TagD', 'taga', undefined].map((tag) => filter.matchMessage!(withTag(tag)))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('checks the exact tag when two tags share a hash', () => {
    // FNV-1a multiplies by an odd prime after each unit, so two 2-unit tags collide when their first
    // units give products with equal high halves; the second units then cancel the low halves.
    const [a, b] = ['\u5d19\u98f2', '\u8018A'];
    expect(tagHash(a)).toBe(tagHash(b));
    const filter = tagReadFilter(a)!;
    expect(filter.matchQueueEntry!(tagHash(b))).toBe(true);
    expect(filter.matchMessage!(withTag(b))).toBe(false);
    expect(filter.matchMessage!(withTag(a))).toBe(true);
  });

  it.each([
    ['TagA ||', 8, 'expected a tag, found end of input'],
    ['|| TagA', 1, 'expected a tag, found "||"'],
    ['A ||  || B', 7, 'expected a tag, found "||"'],
    ['A || * ', 6, '"*" takes every message and cannot be combined with tags'],
  ])('refuses %j at %i: %s', (expression, position, reason) => {
    let error: unknown;
    try {
      tagReadFilter(expression);
    } catch (caught) {
      error = caught;
    }
    expect(TesseraError.is(error, ErrorCode.SUBSCRIPTION_INVALID)).toBe(true);
    expect((error as Error).message).toBe(`tag expression ${JSON.stringify(expression)} at ${position}: ${reason}`);
  });
});
