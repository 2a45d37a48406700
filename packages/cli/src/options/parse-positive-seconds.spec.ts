import { parsePositiveSeconds } from './parse-positive-seconds';

describe('parsePositiveSeconds', () => {
  it('turns seconds, fractions included, into milliseconds', () => {
    expect(parsePositiveSeconds('--timeout', '2')).toBe(2000);
    expect(parsePositiveSeconds('--timeout', '0.25')).toBe(250);
  });

  it('refuses zero, negatives and words', () => {
    for (const bad of ['0', '-1', 'soon', '']) {
      expect(() => parsePositiveSeconds('--timeout', bad)).toThrow('--timeout must be a positive number of seconds');
    }
  });
});
