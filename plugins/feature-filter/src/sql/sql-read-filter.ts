import type { ReadFilter, StoredMessage } from '@tessera/kernel';
import { compileSql } from './compile-sql';
import { parseSql } from './parse-sql';

/**
 * The filter of a SQL92 subscription: a message matches when the expression is TRUE on its
 * properties (and `TAGS`, its tag). Properties live in the log, not the queue index, so every
 * message is read. Throws TesseraError(SUBSCRIPTION_INVALID) for a bad expression.
 */
export function sqlReadFilter(expression: string): ReadFilter {
  const predicate = compileSql(parseSql(expression));
  return { matchMessage: (message: StoredMessage) => predicate(message.properties, message.tag) === true };
}
