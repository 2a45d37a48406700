import { ErrorCode, TesseraError } from '@tessera/kernel';
import { MAX_SQL_NESTING, parseSql } from './parse-sql';

function refusal(expression: string): string {
  try {
    parseSql(expression);
  } catch (error) {
    if (!TesseraError.is(error, ErrorCode.SUBSCRIPTION_INVALID)) throw error;
    return error.message;
  }
  throw new Error(`"${expression}" was accepted`);
}

/** [expression, 1-based position, reason]. */
const invalid: Array<[string, number, string]> = [
  ['', 1, 'expected a condition, found end of input'],
  ['   ', 4, 'expected a condition, found end of input'],
  ['a > ', 5, 'expected a value, found end of input'],
  ['a >', 4, 'expected a value, found end of input'],
  ["region = 'eu", 10, 'unterminated string literal'],
  ["region == 'eu'", 9, 'expected a value, found "="'],
  ["region != 'eu'", 8, 'unexpected "!=" (write <> for "not equal")'],
  ['region = "eu"', 10, 'unexpected character \'"\' (strings are single-quoted)'],
  ["price > 'ten'", 9, `">" compares numbers, not string 'ten'`],
  ['price <= TRUE', 10, '"<=" compares numbers, not TRUE'],
  ["'a' < price", 1, `"<" compares numbers, not string 'a'`],
  ['price BETWEEN 50 AND 40', 15, 'the lower bound of BETWEEN (50) is above its upper bound (40)'],
  ["price BETWEEN 'a' AND 'b'", 15, "expected a number as the lower bound of BETWEEN, found string 'a'"],
  ['price BETWEEN 1 OR 2', 17, 'expected AND between the bounds of BETWEEN, found OR'],
  ['price BETWEEN 1 AND', 20, 'expected a number as the upper bound of BETWEEN, found end of input'],
  ['region IN ()', 12, 'expected a string in the IN list, found ")"'],
  ["region IN ('eu',)", 17, 'expected a string in the IN list, found ")"'],
  ["region IN ('eu' 'us')", 17, `expected "," or ")" in the IN list, found string 'us'`],
  ['region IN (1, 2)', 12, 'expected a string in the IN list, found number 1'],
  ["region IN 'eu'", 11, `expected "(" after IN, found string 'eu'`],
  ["region IS 'eu'", 11, "expected NULL or NOT NULL, found string 'eu'"],
  ["region IS NOT 'eu'", 15, "expected NULL, found string 'eu'"],
  ["region NOT LIKE 'e%'", 12, 'expected BETWEEN or IN after NOT, found identifier LIKE'],
  ['region', 7, 'expected a comparison operator, BETWEEN, IN or IS after property region, found end of input'],
  ["'eu'", 5, "expected a comparison operator, BETWEEN, IN or IS after string 'eu', found end of input"],
  ["'eu' IN ('eu')", 1, 'IN needs a property name on its left'],
  ["(region = 'eu'", 15, 'expected AND, OR or ")", found end of input'],
  ["region = 'eu')", 14, 'expected AND, OR or end of input, found ")"'],
  ["region = 'eu' AND", 18, 'expected a condition, found end of input'],
  ["region = 'eu' OR OR x = 1", 18, 'expected a condition, found OR'],
  ['AND x = 1', 1, 'expected a condition, found AND'],
  ['NOT', 4, 'expected a condition, found end of input'],
  ['x = 1 y = 2', 7, 'expected AND, OR or end of input, found identifier y'],
  ['x = NULL', 5, 'expected a value, found NULL'],
  ['price > 5abc', 9, 'malformed number "5a"'],
  ['price > 1e999', 9, 'number 1e999 is out of range'],
  ['price > - 5', 9, 'unexpected character "-"'],
  ["region = 'eu' # comment", 15, 'unexpected character "#"'],
  ['()', 2, 'expected a condition, found ")"'],
];

describe('parseSql', () => {
  it.each(invalid)('refuses %j at %i: %s', (expression, position, reason) => {
    expect(refusal(expression)).toBe(`SQL92 expression ${JSON.stringify(expression)} at ${position}: ${reason}`);
  });

  it(`refuses nesting deeper than ${MAX_SQL_NESTING}, counting parentheses and NOTs`, () => {
    const deepest = `${'('.repeat(MAX_SQL_NESTING)}x = 1${')'.repeat(MAX_SQL_NESTING)}`;
    expect(() => parseSql(deepest)).not.toThrow();
    // The innermost "(" is the 65th level: "NOT " then 64 of them.
    expect(refusal(`NOT ${deepest}`)).toContain(`at ${4 + MAX_SQL_NESTING}: nested more than ${MAX_SQL_NESTING} levels deep`);
  });

  it('parses a chain of ORs and ANDs into flat lists', () => {
    expect(parseSql("a = 'x' OR b > 1 AND c IS NULL OR NOT d IN ('y')")).toEqual({
      kind: 'or',
      operands: [
        { kind: 'compare', operator: '=', left: { kind: 'property', name: 'a' }, right: { kind: 'string', value: 'x' } },
        {
          kind: 'and',
          operands: [
            { kind: 'compare', operator: '>', left: { kind: 'property', name: 'b' }, right: { kind: 'number', value: 1 } },
            { kind: 'isNull', negated: false, property: 'c' },
          ],
        },
        { kind: 'not', operand: { kind: 'in', negated: false, property: 'd', values: ['y'] } },
      ],
    });
  });
});
