import { parseDuration } from './parse-duration';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['3d', 259_200_000],
    ['40d', 40 * 86_400_000],
  ])('reads %s as %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '0s', '1.5s', '5', 's', '5 s', ' 1s', '1s ', '-1s', '1S', '5sec', '01s', '1m30s', '1w', '10000000000s'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());
});
