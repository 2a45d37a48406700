import { ConfigError, ErrorCode, SystemProperties } from '@tessera/kernel';
import { DEFAULT_DELAY_LEVELS } from './delay-options';
import { DelayPolicy } from './delay-policy';

const NOW = 1_700_000_000_000;
const DAY_MS = 86_400_000;
const { DELAY_LEVEL, DELAY_MS, DELIVER_AT } = SystemProperties;

describe('DelayPolicy', () => {
  const policy = new DelayPolicy({ levels: DEFAULT_DELAY_LEVELS, maxDelayMs: 40 * DAY_MS });

  it('reads the 18 RocketMQ levels by default', () => {
    expect(policy.levelsMs).toEqual([
      1e3, 5e3, 10e3, 30e3, 60e3, 120e3, 180e3, 240e3, 300e3, 360e3, 420e3, 480e3, 540e3, 600e3, 1_200e3, 1_800e3, 3_600e3, 7_200e3,
    ]);
  });

  it('computes the due time of a level, a delay and a time', () => {
    expect(policy.dueTimeOf({ [DELAY_LEVEL]: '1' }, NOW)).toBe(NOW + 1000);
    expect(policy.dueTimeOf({ [DELAY_LEVEL]: '18' }, NOW)).toBe(NOW + 7_200_000);
    expect(policy.dueTimeOf({ [DELAY_MS]: '2500' }, NOW)).toBe(NOW + 2500);
    expect(policy.dueTimeOf({ [DELAY_MS]: '0' }, NOW)).toBe(NOW);
    expect(policy.dueTimeOf({ [DELIVER_AT]: String(NOW + 30 * DAY_MS) }, NOW)).toBe(NOW + 30 * DAY_MS);
    expect(policy.dueTimeOf({ other: 'x' }, NOW)).toBeUndefined();
  });

  it('delivers a time in the past at once', () => {
    expect(policy.dueTimeOf({ [DELIVER_AT]: String(NOW - 60_000) }, NOW)).toBe(NOW);
    expect(policy.dueTimeOf({ [DELIVER_AT]: '0' }, NOW)).toBe(NOW);
  });

  it.each([
    [{ [DELAY_LEVEL]: '0' }, `${DELAY_LEVEL} must be a delay level from 1 to 18, got "0"`],
    [{ [DELAY_LEVEL]: '19' }, `${DELAY_LEVEL} must be a delay level from 1 to 18, got "19"`],
    [{ [DELAY_LEVEL]: '1.5' }, `${DELAY_LEVEL} must be a delay level from 1 to 18, got "1.5"`],
    [{ [DELAY_LEVEL]: '' }, `${DELAY_LEVEL} must be a delay level from 1 to 18, got ""`],
    [{ [DELAY_MS]: '-5' }, `${DELAY_MS} must be a delay in ms (a whole number), got "-5"`],
    [{ [DELAY_MS]: '1e3' }, `${DELAY_MS} must be a delay in ms (a whole number), got "1e3"`],
    [{ [DELAY_MS]: String(40 * DAY_MS + 1) }, `${DELAY_MS} is ${40 * DAY_MS + 1} ms, more than the longest delay allowed (maxDelayMs ${40 * DAY_MS})`],
    [{ [DELIVER_AT]: 'tomorrow' }, `${DELIVER_AT} must be a time in ms since the epoch (a whole number), got "tomorrow"`],
    [{ [DELIVER_AT]: '99999999999999999' }, `${DELIVER_AT} must be a time in ms since the epoch (a whole number), got "99999999999999999"`],
    [{ [DELIVER_AT]: String(NOW + 41 * DAY_MS) }, `${DELIVER_AT} ${new Date(NOW + 41 * DAY_MS).toISOString()} is further ahead than the longest delay allowed`],
    [{ [DELAY_LEVEL]: '1', [DELAY_MS]: '5' }, `this one has ${DELAY_LEVEL} and ${DELAY_MS}`],
  ])('refuses %j with BAD_REQUEST', (properties, message) => {
    expect(() => policy.dueTimeOf(properties, NOW)).toThrow(expect.objectContaining({ code: ErrorCode.BAD_REQUEST, message: expect.stringContaining(message) }));
  });

  it('counts the levels it is given, and refuses a malformed or too long one', () => {
    const short = new DelayPolicy({ levels: ['1s', '2s', '3s'], maxDelayMs: 60_000 });
    expect(short.dueTimeOf({ [DELAY_LEVEL]: '3' }, NOW)).toBe(NOW + 3000);
    expect(() => short.dueTimeOf({ [DELAY_LEVEL]: '4' }, NOW)).toThrow('from 1 to 3, got "4"');
    expect(() => new DelayPolicy({ levels: ['1s', '5 s'], maxDelayMs: 60_000 })).toThrow(
      new ConfigError('feature-delay levels[1]: "5 s" is not a duration like 500ms, 5s, 2m, 1h or 1d'),
    );
    expect(() => new DelayPolicy({ levels: ['2m'], maxDelayMs: 60_000 })).toThrow('levels[0]: 2m is longer than maxDelayMs (60000 ms)');
  });
});
