export const SQL_KEYWORDS = ['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE'] as const;

export type SqlKeyword = (typeof SQL_KEYWORDS)[number];

export type SqlComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** One lexeme of a SQL92 filter expression; `position` is 1-based (one past the end for `end`). */
export type SqlToken =
  | { kind: 'identifier'; name: string; position: number }
  | { kind: 'string'; value: string; position: number }
  | { kind: 'number'; value: number; text: string; position: number }
  | { kind: 'keyword'; keyword: SqlKeyword; position: number }
  | { kind: 'operator'; operator: SqlComparisonOperator; position: number }
  | { kind: 'punctuation'; symbol: '(' | ')' | ','; position: number }
  | { kind: 'end'; position: number };

/** How an error message names a token: `found <this>`. */
export function describeSqlToken(token: SqlToken): string {
  switch (token.kind) {
    case 'identifier':
      return `identifier ${token.name}`;
    case 'string':
      return `string '${token.value.replaceAll("'", "''")}'`;
    case 'number':
      return `number ${token.text}`;
    case 'keyword':
      return token.keyword;
    case 'operator':
      return `"${token.operator}"`;
    case 'punctuation':
      return `"${token.symbol}"`;
    case 'end':
      return 'end of input';
  }
}
