import { CliUsageError } from './cli-usage-error';
import { parseIsoTime } from './parse-iso-time';

describe('parseIsoTime', () => {
  it('reads UTC and offset date-times to the millisecond', () => {
    expect(parseIsoTime('--to-time', '2025-03-01T12:00:00Z')).toBe(Date.UTC(2025, 2, 1, 12));
    expect(parseIsoTime('--to-time', '2025-03-01T13:00:00+01:00')).toBe(Date.UTC(2025, 2, 1, 12));
    expect(parseIsoTime('--to-time', '2025-03-01T07:30-04:30')).toBe(Date.UTC(2025, 2, 1, 12));
    expect(parseIsoTime('--to-time', '2025-03-01T12:00:00.123456Z')).toBe(Date.UTC(2025, 2, 1, 12, 0, 0, 123));
    expect(parseIsoTime('--to-time', '2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('refuses a date-time without a time zone, naming the option and the expected form', () => {
    expect(() => parseIsoTime('--to-time', '2025-03-01T12:00:00')).toThrow(
      '--to-time must be an ISO 8601 date-time with a time zone, like 2025-03-01T12:00:00Z or 2025-03-01T13:00:00+01:00; got "2025-03-01T12:00:00"',
    );
  });

  it('refuses other forms and out-of-range fields', () => {
    const bad = ['yesterday', '2025-03-01', '1740830400000', '2025-3-1T12:00Z', '2025-03-01 12:00:00Z', '2025-03-01T12:00:00ZZ', '2025-03-01T13:00+0100', ''];
    for (const value of bad) expect(() => parseIsoTime('--to-time', value)).toThrow(CliUsageError);
    for (const value of ['2025-02-29T00:00Z', '2025-13-01T00:00Z', '2025-04-31T00:00Z', '2025-03-01T24:00Z', '2025-03-01T12:60Z', '2025-03-01T12:00:60Z', '2025-03-01T12:00+24:00']) {
      expect(() => parseIsoTime('--to-time', value)).toThrow(`--to-time is not a real date and time: "${value}"`);
    }
  });
});
