import { ErrorCode, TesseraError, type Subscription } from '@tessera/kernel';
import { FilterHooks } from './filter-hooks';

const subscription = (expressionType: Subscription['expressionType'], expression: string): Subscription => ({
  group: 'g',
  topic: 't',
  expressionType,
  expression,
});

describe('FilterHooks', () => {
  it('builds a filter once per expression and type, and none for everything', () => {
    const hooks = new FilterHooks({ cacheSize: 8, maxExpressionLength: 64 });
    const sql = hooks.createReadFilter(subscription('SQL92', 'a > 1'));
    expect(sql).toBeDefined();
    expect(hooks.createReadFilter(subscription('SQL92', 'a > 1'))).toBe(sql);
    const tag = hooks.createReadFilter(subscription('TAG', 'A || B'));
    expect(tag).not.toBe(hooks.createReadFilter(subscription('SQL92', "TAGS IN ('A', 'B')")));
    expect(hooks.createReadFilter(subscription('TAG', 'A || B'))).toBe(tag);
    expect(hooks.createReadFilter(subscription('TAG', '*'))).toBeUndefined();
    expect(hooks.createReadFilter(subscription('TAG', '*'))).toBeUndefined();
  });

  it('builds again once the expression has left the bounded cache', () => {
    const hooks = new FilterHooks({ cacheSize: 2, maxExpressionLength: 64 });
    const first = hooks.createReadFilter(subscription('SQL92', 'a > 1'));
    hooks.createReadFilter(subscription('SQL92', 'a > 2'));
    hooks.createReadFilter(subscription('SQL92', 'a > 3'));
    expect(hooks.createReadFilter(subscription('SQL92', 'a > 1'))).not.toBe(first);
  });

  it('refuses bad and overlong expressions with SUBSCRIPTION_INVALID, every time', () => {
    const hooks = new FilterHooks({ cacheSize: 8, maxExpressionLength: 64 });
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(() => hooks.createReadFilter(subscription('SQL92', 'a >'))).toThrow('SQL92 expression "a >" at 4: expected a value, found end of input');
    }
    const long = `a IN (${Array.from({ length: 20 }, (_, i) => `'${i}'`).join(', ')})`;
    let error: unknown;
    try {
      hooks.createReadFilter(subscription('SQL92', long));
    } catch (caught) {
      error = caught;
    }
    expect(TesseraError.is(error, ErrorCode.SUBSCRIPTION_INVALID)).toBe(true);
    expect((error as Error).message).toBe(`SQL92 expression is ${long.length} characters long; at most 64 are accepted`);
  });
});
