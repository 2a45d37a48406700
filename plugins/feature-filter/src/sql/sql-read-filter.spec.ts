import type { StoredMessage } from '@tessera/kernel';
import { sqlReadFilter } from './sql-read-filter';

const properties: Record<string, string> = {
  region: 'eu',
  price: '42.5',
  qty: '7',
  code: '007',
  vip: 'true',
  shouting: 'TRUE',
  word: 'abc',
  empty: '',
  name: "O'Brien",
  'order.id': 'x1',
};

function message(tag: string | undefined): StoredMessage {
  return {
    msgId: 'M',
    topic: 't',
    queueId: 0,
    queueOffset: 0,
    commitLogOffset: 0,
    storeSize: 0,
    body: Buffer.alloc(0),
    tag,
    keys: [],
    properties,
    bornTimestamp: 0,
    storeTimestamp: 0,
    flag: 0,
    reconsumeTimes: 0,
  };
}

/** [expression, matches a message with the properties above and tag TagA]. */
const cases: Array<[string, boolean]> = [
  ["region = 'eu'", true],
  ["region = 'us'", false],
  ["region <> 'us'", true],
  ["region <> 'eu'", false],
  ["'eu' = region", true],
  ["REGION = 'eu'", false],
  ['region = region', true],
  ["  region\t=\n'eu'  ", true],
  ['price > 40', true],
  ['price > 42.5', false],
  ['price >= 42.5', true],
  ['price < 42.5', false],
  ['price <= 42.5', true],
  ['price = 42.5', true],
  ['price <> 42.5', false],
  ['price > -1', true],
  ['price > -100.25', true],
  ['price < 1e2', true],
  ['5 < price', true],
  ['price > qty', true],
  ['qty = 7.0', true],
  ['qty = 7 AND qty <> 8 AND qty < 8 AND qty <= 7 AND qty > 6 AND qty >= 7', true],
  ['code = 7', true],
  ["code = '7'", false],
  ["code = '007'", true],
  ['price BETWEEN 40 AND 50', true],
  ['price BETWEEN 42.5 AND 42.5', true],
  ['price BETWEEN -10 AND 0', false],
  ['price NOT BETWEEN 40 AND 50', false],
  ['qty NOT BETWEEN 8 AND 10', true],
  ["region IN ('us', 'eu')", true],
  ["region IN ('us')", false],
  ["region NOT IN ('us', 'ap')", true],
  ["region NOT IN ('eu')", false],
  ["TAGS IN ('TagB', 'TagC')", false],
  ["TAGS = 'TagA'", true],
  ['TAGS IS NOT NULL', true],
  ['missing IS NULL', true],
  ['missing IS NOT NULL', false],
  ['region IS NULL', false],
  ['region IS NOT NULL', true],
  ['empty IS NULL', false],
  ["empty = ''", true],
  ["name = 'O''Brien'", true],
  ["order.id = 'x1'", true],
  ['toString IS NULL', true],
  ['vip = TRUE', true],
  ['vip = FALSE', false],
  ['vip <> FALSE', true],
  ['shouting = TRUE', true],
  ['TRUE', true],
  ['FALSE', false],
  ['NOT FALSE', true],
  // A missing property or one of the wrong type makes a comparison UNKNOWN, and NOT keeps it so.
  ["missing = 'x'", false],
  ["NOT (missing = 'x')", false],
  ["missing <> 'x'", false],
  ["missing IN ('x')", false],
  ["missing NOT IN ('x')", false],
  ['missing BETWEEN 1 AND 2', false],
  ['missing NOT BETWEEN 1 AND 2', false],
  ['word > 5', false],
  ['NOT (word > 5)', false],
  ['word = 5', false],
  ['region = TRUE', false],
  ['NOT (region = TRUE)', false],
  ["missing > 5 OR region = 'eu'", true],
  ["missing > 5 AND region = 'eu'", false],
  ["NOT (missing > 5 AND region = 'us')", true],
  ["NOT (missing > 5 OR region = 'us')", false],
  // Precedence: NOT over AND over OR; parentheses regroup.
  ["region = 'eu' AND (price > 100 OR vip = TRUE)", true],
  ["region = 'us' AND price > 100 OR qty = 7", true],
  ["region = 'us' AND (price > 100 OR qty = 7)", false],
  ["NOT region = 'us'", true],
  ["NOT NOT region = 'eu'", true],
  ["NOT region = 'eu' OR qty = 7", true],
  ["NOT (region = 'eu' OR qty = 7)", false],
  ["((((region = 'eu'))))", true],
  ["(region = 'eu' OR region = 'us') AND NOT (price BETWEEN 0 AND 10 OR vip IS NULL)", true],
  ["region = 'eu' and price between 40 and 50 or not vip = true", true],
  ["Region IN ('eu') Or TAGS iS nUlL", false],
];

describe('sqlReadFilter', () => {
  it.each(cases)('%s → %s', (expression, expected) => {
    expect(sqlReadFilter(expression).matchMessage!(message('TagA'))).toBe(expected);
  });

  it('sees no tag as NULL', () => {
    expect(sqlReadFilter('TAGS IS NULL').matchMessage!(message(undefined))).toBe(true);
    expect(sqlReadFilter("TAGS <> 'TagA'").matchMessage!(message(undefined))).toBe(false);
  });

  it('needs no queue-index pass: properties are only in the log', () => {
    expect(sqlReadFilter('TRUE').matchQueueEntry).toBeUndefined();
  });
});
