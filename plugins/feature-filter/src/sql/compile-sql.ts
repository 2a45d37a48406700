import type { SqlNode, SqlOperand } from './sql-node';
import type { SqlComparisonOperator } from './sql-token';

/** SQL's three-valued logic: undefined is UNKNOWN (a missing property, a value of the wrong type). */
export type SqlTruth = boolean | undefined;

export type SqlPredicate = (properties: Readonly<Record<string, string>>, tag: string | undefined) => SqlTruth;

/** The property name that stands for the message's tag. */
export const TAGS_PROPERTY = 'TAGS';

type Read<T> = (properties: Readonly<Record<string, string>>, tag: string | undefined) => T | undefined;

/** What the Java side (Double.valueOf) would take as a number: decimal, optional sign, fraction and exponent. */
const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * Turns a parsed expression into a predicate built of closures, so evaluating a message allocates
 * nothing. Semantics (RocketMQ's): properties are strings; a comparison with a number literal, an
 * ordering (`<` …) or BETWEEN converts the property to a number, one with TRUE/FALSE to a boolean
 * (`true`/`false`, any case); a missing property or one that does not convert makes the comparison
 * UNKNOWN, and NOT UNKNOWN is UNKNOWN; IS [NOT] NULL is never UNKNOWN. A message matches only when
 * the whole expression is TRUE.
 */
export function compileSql(node: SqlNode): SqlPredicate {
  switch (node.kind) {
    case 'and':
      return allOf(node.operands.map(compileSql));
    case 'or':
      return anyOf(node.operands.map(compileSql));
    case 'not': {
      const operand = compileSql(node.operand);
      return (properties, tag) => {
        const truth = operand(properties, tag);
        return truth === undefined ? undefined : !truth;
      };
    }
    case 'constant': {
      const value = node.value;
      return () => value;
    }
    case 'compare':
      return compileComparison(node.operator, node.left, node.right);
    case 'between': {
      const read = numberReader({ kind: 'property', name: node.property });
      const { low, high, negated } = node;
      return (properties, tag) => {
        const value = read(properties, tag);
        if (value === undefined) return undefined;
        return (value >= low && value <= high) !== negated;
      };
    }
    case 'in': {
      const read = stringReader({ kind: 'property', name: node.property });
      const values = new Set(node.values);
      const negated = node.negated;
      return (properties, tag) => {
        const value = read(properties, tag);
        if (value === undefined) return undefined;
        return values.has(value) !== negated;
      };
    }
    case 'isNull': {
      const read = stringReader({ kind: 'property', name: node.property });
      const negated = node.negated;
      return (properties, tag) => (read(properties, tag) === undefined) !== negated;
    }
  }
}

function allOf(operands: SqlPredicate[]): SqlPredicate {
  return (properties, tag) => {
    let unknown = false;
    for (const operand of operands) {
      const truth = operand(properties, tag);
      if (truth === false) return false;
      if (truth === undefined) unknown = true;
    }
    return unknown ? undefined : true;
  };
}

function anyOf(operands: SqlPredicate[]): SqlPredicate {
  return (properties, tag) => {
    let unknown = false;
    for (const operand of operands) {
      const truth = operand(properties, tag);
      if (truth === true) return true;
      if (truth === undefined) unknown = true;
    }
    return unknown ? undefined : false;
  };
}

function compileComparison(operator: SqlComparisonOperator, left: SqlOperand, right: SqlOperand): SqlPredicate {
  const ordering = operator !== '=' && operator !== '<>';
  if (ordering || left.kind === 'number' || right.kind === 'number') {
    return comparing(numberReader(left), numberReader(right), operator);
  }
  if (left.kind === 'boolean' || right.kind === 'boolean') return comparing(booleanReader(left), booleanReader(right), operator);
  return comparing(stringReader(left), stringReader(right), operator);
}

function comparing<T extends string | number | boolean>(left: Read<T>, right: Read<T>, operator: SqlComparisonOperator): SqlPredicate {
  const holds = OPERATORS[operator] as (a: T, b: T) => boolean;
  return (properties, tag) => {
    const a = left(properties, tag);
    if (a === undefined) return undefined;
    const b = right(properties, tag);
    if (b === undefined) return undefined;
    return holds(a, b);
  };
}

const OPERATORS: Record<SqlComparisonOperator, (a: string | number | boolean, b: string | number | boolean) => boolean> = {
  '=': (a, b) => a === b,
  '<>': (a, b) => a !== b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function stringReader(operand: SqlOperand): Read<string> {
  switch (operand.kind) {
    case 'property':
      return propertyReader(operand.name);
    case 'string': {
      const value = operand.value;
      return () => value;
    }
    case 'number': {
      const value = String(operand.value);
      return () => value;
    }
    case 'boolean': {
      const value = operand.value ? 'TRUE' : 'FALSE';
      return () => value;
    }
  }
}

function numberReader(operand: SqlOperand): Read<number> {
  if (operand.kind === 'number') {
    const value = operand.value;
    return () => value;
  }
  const read = stringReader(operand);
  return (properties, tag) => {
    const text = read(properties, tag);
    return text !== undefined && NUMERIC.test(text) ? Number(text) : undefined;
  };
}

function booleanReader(operand: SqlOperand): Read<boolean> {
  if (operand.kind === 'boolean') {
    const value = operand.value;
    return () => value;
  }
  const read = stringReader(operand);
  return (properties, tag) => {
    const text = read(properties, tag);
    if (text === undefined) return undefined;
    return isWord(text, 'true') ? true : isWord(text, 'false') ? false : undefined;
  };
}

/** `text` equals the lowercase ASCII `word` in any case, without allocating a lowercased copy. */
function isWord(text: string, word: string): boolean {
  if (text.length !== word.length) return false;
  for (let i = 0; i < word.length; i++) if ((text.charCodeAt(i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

function propertyReader(name: string): Read<string> {
  if (name === TAGS_PROPERTY) return (_, tag) => tag;
  return (properties) => {
    const value = properties[name];
    // A plain object also answers inherited names (toString, constructor): only own strings count.
    return typeof value === 'string' ? value : undefined;
  };
}
