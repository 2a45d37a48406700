import rhea from 'rhea';
import { sourceFilterOf } from './source-filter';

const described = (value: string, descriptor: string | number) => rhea.types.wrap_described(value, descriptor) as unknown as { descriptor: { value: unknown }; value: string };

describe('sourceFilterOf', () => {
  it('takes a JMS selector (numeric or symbolic descriptor) as a SQL92 expression', () => {
    const numeric = described("color = 'red'", 0x0000468c00000004);
    expect(sourceFilterOf({ 'jms-selector': numeric })).toEqual({
      expressionType: 'SQL92',
      expression: "color = 'red'",
      selector: "color = 'red'",
      applied: { 'jms-selector': numeric },
    });
    const symbolic = described('a > 1', 'apache.org:selector-filter:string');
    expect(sourceFilterOf({ selector: symbolic })).toMatchObject({ expressionType: 'SQL92', expression: 'a > 1' });
  });

  it('takes x-opt-tag and a direct binding as tag filters, and combines a tag with a selector', () => {
    expect(sourceFilterOf({ 'x-opt-tag': ' a || b ' })).toMatchObject({ expressionType: 'TAG', expression: 'a || b' });
    expect(sourceFilterOf({ binding: described('orders', 'apache.org:legacy-amqp-direct-binding:string') })).toMatchObject({
      expressionType: 'TAG',
      expression: 'orders',
    });
    expect(sourceFilterOf({ s: described('x = 1', 'apache.org:selector-filter:string'), 'x-opt-tag': "it's || b" })).toMatchObject({
      expressionType: 'SQL92',
      expression: "(x = 1) AND (TAGS IN ('it''s', 'b'))",
      selector: 'x = 1',
    });
  });

  it('applies nothing for no filter, an empty selector, `*`, or filters of other kinds (left out of `applied`)', () => {
    expect(sourceFilterOf(undefined)).toBeUndefined();
    expect(sourceFilterOf(null)).toBeUndefined();
    expect(sourceFilterOf({ s: described('  ', 'apache.org:selector-filter:string') })).toBeUndefined();
    expect(sourceFilterOf({ 'x-opt-tag': '*' })).toBeUndefined();
    expect(sourceFilterOf({ other: described('x', 'vendor:filter:string'), 'no-local': null })).toBeUndefined();
    const filter = sourceFilterOf({ 'x-opt-tag': 'a', other: described('x', 'vendor:filter:string') });
    expect(Object.keys(filter!.applied)).toEqual(['x-opt-tag']);
  });

  it('refuses a filter of a known kind that is not a string, and a tag expression with an empty alternative', () => {
    expect(() => sourceFilterOf({ 'x-opt-tag': 5 })).toThrow(expect.objectContaining({ condition: 'amqp:invalid-field' }));
    expect(() => sourceFilterOf({ 'x-opt-tag': 'a ||' })).toThrow(expect.objectContaining({ condition: 'amqp:invalid-field' }));
    const numeric = { descriptor: { value: 'apache.org:selector-filter:string' }, value: 42 };
    expect(() => sourceFilterOf({ s: numeric })).toThrow(expect.objectContaining({ condition: 'amqp:invalid-field' }));
  });
});
