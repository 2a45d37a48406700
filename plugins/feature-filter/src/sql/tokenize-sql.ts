import { invalidExpression } from '../invalid-expression';
import { SQL_KEYWORDS, type SqlComparisonOperator, type SqlKeyword, type SqlToken } from './sql-token';

const KEYWORDS: ReadonlySet<string> = new Set(SQL_KEYWORDS);
const IDENTIFIER_START = /[A-Za-z_$]/;
const IDENTIFIER_PART = /[A-Za-z0-9_$.]/;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Splits a SQL92 filter expression into tokens, ending with an `end` token. Keywords are
 * case-insensitive, identifiers (property names) are not. Strings are single-quoted with `''`
 * for a quote; numbers are decimal, optionally negative, with an optional fraction and exponent.
 */
export function tokenizeSql(expression: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  const fail = (at: number, reason: string) => invalidExpression('SQL92', expression, at + 1, reason);
  let at = 0;
  while (at < expression.length) {
    const char = expression[at]!;
    const position = at + 1;
    if (/\s/.test(char)) {
      at++;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punctuation', symbol: char, position });
      at++;
    } else if (char === '=') {
      tokens.push({ kind: 'operator', operator: '=', position });
      at++;
    } else if (char === '<' || char === '>') {
      const two = expression.slice(at, at + 2);
      const operator: SqlComparisonOperator = two === '<>' || two === '<=' || two === '>=' ? two : (char as '<' | '>');
      tokens.push({ kind: 'operator', operator, position });
      at += operator.length;
    } else if (char === "'") {
      at = readString(expression, at, tokens, fail);
    } else if (/\d/.test(char) || (char === '-' && /\d/.test(expression[at + 1] ?? ''))) {
      NUMBER.lastIndex = at;
      const text = NUMBER.exec(expression)![0];
      const value = Number(text);
      if (IDENTIFIER_PART.test(expression[at + text.length] ?? '')) throw fail(at, `malformed number "${text}${expression[at + text.length]}"`);
      if (!Number.isFinite(value)) throw fail(at, `number ${text} is out of range`);
      tokens.push({ kind: 'number', value, text, position });
      at += text.length;
    } else if (IDENTIFIER_START.test(char)) {
      let end = at + 1;
      while (end < expression.length && IDENTIFIER_PART.test(expression[end]!)) end++;
      const word = expression.slice(at, end);
      const upper = word.toUpperCase();
      if (KEYWORDS.has(upper)) tokens.push({ kind: 'keyword', keyword: upper as SqlKeyword, position });
      else tokens.push({ kind: 'identifier', name: word, position });
      at = end;
    } else if (char === '!' && expression[at + 1] === '=') {
      throw fail(at, 'unexpected "!=" (write <> for "not equal")');
    } else if (char === '"') {
      throw fail(at, 'unexpected character \'"\' (strings are single-quoted)');
    } else {
      throw fail(at, `unexpected character ${JSON.stringify(char)}`);
    }
  }
  tokens.push({ kind: 'end', position: expression.length + 1 });
  return tokens;
}

/** Reads the string literal opening at `start`; returns the index after its closing quote. */
function readString(expression: string, start: number, tokens: SqlToken[], fail: (at: number, reason: string) => Error): number {
  let value = '';
  let at = start + 1;
  for (;;) {
    const close = expression.indexOf("'", at);
    if (close < 0) throw fail(start, 'unterminated string literal');
    value += expression.slice(at, close);
    if (expression[close + 1] !== "'") {
      tokens.push({ kind: 'string', value, position: start + 1 });
      return close + 1;
    }
    value += "'";
    at = close + 2;
  }
}
