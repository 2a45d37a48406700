import type { SqlComparisonOperator } from './sql-token';

/** A comparison operand: a message property (`TAGS` is the tag) or a literal. */
export type SqlOperand =
  | { kind: 'property'; name: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean };

/** The parsed form of a SQL92 filter expression. */
export type SqlNode =
  | { kind: 'and' | 'or'; operands: SqlNode[] }
  | { kind: 'not'; operand: SqlNode }
  | { kind: 'constant'; value: boolean }
  | { kind: 'compare'; operator: SqlComparisonOperator; left: SqlOperand; right: SqlOperand }
  | { kind: 'between'; negated: boolean; property: string; low: number; high: number }
  | { kind: 'in'; negated: boolean; property: string; values: string[] }
  | { kind: 'isNull'; negated: boolean; property: string };
