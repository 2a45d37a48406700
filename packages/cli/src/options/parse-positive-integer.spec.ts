import { CliUsageError } from './cli-usage-error';
import { parsePositiveInteger } from './parse-positive-integer';

describe('parsePositiveInteger', () => {
  it('accepts whole numbers at or above the minimum', () => {
    expect(parsePositiveInteger('--count', '1000')).toBe(1000);
    expect(parsePositiveInteger('--port', '0', 0)).toBe(0);
    expect(parsePositiveInteger('--count', ' 7 ')).toBe(7);
  });

  it('refuses fractions, signs, words and values below the minimum, naming the option', () => {
    for (const bad of ['1.5', '-3', 'ten', '', '1e3', '0']) {
      expect(() => parsePositiveInteger('--count', bad)).toThrow(CliUsageError);
    }
    expect(() => parsePositiveInteger('--count', 'ten')).toThrow('--count must be a whole number ≥ 1, got "ten"');
  });
});
