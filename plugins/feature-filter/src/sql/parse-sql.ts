import { invalidExpression } from '../invalid-expression';
import type { SqlNode, SqlOperand } from './sql-node';
import { describeSqlToken, type SqlComparisonOperator, type SqlKeyword, type SqlToken } from './sql-token';
import { tokenizeSql } from './tokenize-sql';

/** Parentheses and NOTs nested deeper than this are refused, so a hostile expression cannot exhaust the stack. */
export const MAX_SQL_NESTING = 64;

const ORDERING: ReadonlySet<SqlComparisonOperator> = new Set(['<', '<=', '>', '>=']);

/**
 * Parses a SQL92 filter expression (RocketMQ's grammar) by recursive descent:
 *
 *   expression := and (OR and)*
 *   and        := not (AND not)*
 *   not        := NOT not | primary
 *   primary    := '(' expression ')' | TRUE | FALSE | predicate
 *   predicate  := operand ('=' | '<>' | '<' | '<=' | '>' | '>=') operand
 *               | property [NOT] BETWEEN number AND number
 *               | property [NOT] IN '(' string (',' string)* ')'
 *               | property IS [NOT] NULL
 *   operand    := property | string | number | TRUE | FALSE
 *
 * `<`, `<=`, `>`, `>=` and BETWEEN compare numbers; IN takes strings. Throws
 * TesseraError(SUBSCRIPTION_INVALID) naming the 1-based position and the reason.
 */
export function parseSql(expression: string): SqlNode {
  return new SqlParser(expression).parse();
}

class SqlParser {
  private readonly tokens: SqlToken[];
  private next = 0;
  private depth = 0;

  constructor(private readonly expression: string) {
    this.tokens = tokenizeSql(expression);
  }

  parse(): SqlNode {
    const node = this.parseOr();
    const token = this.peek();
    if (token.kind !== 'end') throw this.unexpected(token, 'AND, OR or end of input');
    return node;
  }

  private parseOr(): SqlNode {
    const operands = [this.parseAnd()];
    while (this.acceptKeyword('OR')) operands.push(this.parseAnd());
    return operands.length === 1 ? operands[0]! : { kind: 'or', operands };
  }

  private parseAnd(): SqlNode {
    const operands = [this.parseNot()];
    while (this.acceptKeyword('AND')) operands.push(this.parseNot());
    return operands.length === 1 ? operands[0]! : { kind: 'and', operands };
  }

  private parseNot(): SqlNode {
    const token = this.peek();
    if (!this.acceptKeyword('NOT')) return this.parsePrimary();
    return { kind: 'not', operand: this.nested(token, () => this.parseNot()) };
  }

  private parsePrimary(): SqlNode {
    const token = this.peek();
    if (token.kind === 'punctuation' && token.symbol === '(') {
      this.next++;
      const node = this.nested(token, () => this.parseOr());
      this.expectPunctuation(')', 'AND, OR or ")"');
      return node;
    }
    const left = this.parseOperand('a condition');
    const after = this.peek();
    if (after.kind === 'operator') {
      this.next++;
      const rightToken = this.peek();
      const right = this.parseOperand('a value');
      if (ORDERING.has(after.operator)) {
        this.requireNumeric(left, token, after.operator);
        this.requireNumeric(right, rightToken, after.operator);
      }
      return { kind: 'compare', operator: after.operator, left, right };
    }
    if (left.kind === 'boolean') return { kind: 'constant', value: left.value };
    if (after.kind === 'keyword' && ['NOT', 'BETWEEN', 'IN', 'IS'].includes(after.keyword)) {
      if (left.kind !== 'property') throw this.fail(token, `${after.keyword} needs a property name on its left`);
      return this.parsePropertyPredicate(left.name);
    }
    const what = left.kind === 'property' ? `property ${left.name}` : describeSqlToken(token);
    throw this.unexpected(after, `a comparison operator, BETWEEN, IN or IS after ${what}`);
  }

  private parsePropertyPredicate(property: string): SqlNode {
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      this.expectKeyword('NULL', negated ? 'NULL' : 'NULL or NOT NULL');
      return { kind: 'isNull', negated, property };
    }
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('BETWEEN')) {
      const lowToken = this.peek();
      const low = this.expectNumber('the lower bound of BETWEEN');
      this.expectKeyword('AND', 'AND between the bounds of BETWEEN');
      const high = this.expectNumber('the upper bound of BETWEEN');
      if (low > high) throw this.fail(lowToken, `the lower bound of BETWEEN (${low}) is above its upper bound (${high})`);
      return { kind: 'between', negated, property, low, high };
    }
    if (this.acceptKeyword('IN')) {
      this.expectPunctuation('(', '"(" after IN');
      const values = [this.expectString('a string in the IN list')];
      while (this.acceptPunctuation(',')) values.push(this.expectString('a string in the IN list'));
      this.expectPunctuation(')', '"," or ")" in the IN list');
      return { kind: 'in', negated, property, values };
    }
    throw this.unexpected(this.peek(), negated ? 'BETWEEN or IN after NOT' : 'BETWEEN, IN or IS');
  }

  private parseOperand(expected: string): SqlOperand {
    const token = this.peek();
    switch (token.kind) {
      case 'identifier':
        this.next++;
        return { kind: 'property', name: token.name };
      case 'string':
        this.next++;
        return { kind: 'string', value: token.value };
      case 'number':
        this.next++;
        return { kind: 'number', value: token.value };
      case 'keyword':
        if (token.keyword === 'TRUE' || token.keyword === 'FALSE') {
          this.next++;
          return { kind: 'boolean', value: token.keyword === 'TRUE' };
        }
        break;
      default:
        break;
    }
    throw this.unexpected(token, expected);
  }

  private requireNumeric(operand: SqlOperand, token: SqlToken, operator: SqlComparisonOperator): void {
    if (operand.kind === 'string' || operand.kind === 'boolean') {
      throw this.fail(token, `"${operator}" compares numbers, not ${describeSqlToken(token)}`);
    }
  }

  private nested<T>(opening: SqlToken, parse: () => T): T {
    if (++this.depth > MAX_SQL_NESTING) throw this.fail(opening, `nested more than ${MAX_SQL_NESTING} levels deep`);
    const result = parse();
    this.depth--;
    return result;
  }

  private expectNumber(expected: string): number {
    const token = this.peek();
    if (token.kind !== 'number') throw this.unexpected(token, `a number as ${expected}`);
    this.next++;
    return token.value;
  }

  private expectString(expected: string): string {
    const token = this.peek();
    if (token.kind !== 'string') throw this.unexpected(token, expected);
    this.next++;
    return token.value;
  }

  private expectKeyword(keyword: SqlKeyword, expected: string): void {
    if (!this.acceptKeyword(keyword)) throw this.unexpected(this.peek(), expected);
  }

  private expectPunctuation(symbol: '(' | ')' | ',', expected: string): void {
    if (!this.acceptPunctuation(symbol)) throw this.unexpected(this.peek(), expected);
  }

  private acceptKeyword(keyword: SqlKeyword): boolean {
    const token = this.peek();
    if (token.kind !== 'keyword' || token.keyword !== keyword) return false;
    this.next++;
    return true;
  }

  private acceptPunctuation(symbol: '(' | ')' | ','): boolean {
    const token = this.peek();
    if (token.kind !== 'punctuation' || token.symbol !== symbol) return false;
    this.next++;
    return true;
  }

  private peek(): SqlToken {
    return this.tokens[this.next]!;
  }

  private unexpected(token: SqlToken, expected: string): Error {
    return this.fail(token, `expected ${expected}, found ${describeSqlToken(token)}`);
  }

  private fail(token: SqlToken, reason: string): Error {
    return invalidExpression('SQL92', this.expression, token.position, reason);
  }
}
