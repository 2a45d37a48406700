import { parseProperty } from './parse-property';

describe('parseProperty', () => {
  it('collects repeated key=value pairs, keeping "=" inside values', () => {
    const first = parseProperty('region=eu');
    expect(parseProperty('query=a=b', first)).toEqual({ region: 'eu', query: 'a=b' });
  });

  it('refuses a pair without a key or without "="', () => {
    expect(() => parseProperty('novalue')).toThrow('--property must be key=value, got "novalue"');
    expect(() => parseProperty('=x')).toThrow('--property must be key=value');
  });
});
