import { CliUsageError } from './cli-usage-error';

/** Date, `T`, time to the minute, optional seconds and fraction, then `Z` or an offset. */
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/**
 * Parses an ISO 8601 date-time into epoch ms, strictly: every field in range and a time zone
 * required (`Z` or an offset), because a time without one is ambiguous and moving a group's
 * offsets by the machine's zone would silently replay or skip hours of messages.
 */
export function parseIsoTime(option: string, value: string): number {
  const fields = ISO_DATE_TIME.exec(value.trim());
  if (!fields) {
    throw new CliUsageError(
      `${option} must be an ISO 8601 date-time with a time zone, like 2025-03-01T12:00:00Z or 2025-03-01T13:00:00+01:00; got "${value}"`,
    );
  }
  const [year, month, day, hour, minute, second = '0', fraction = '0', utc, sign, offsetHours = '0', offsetMinutes = '0'] = fields.slice(1);
  const date = Date.UTC(Number(year), Number(month) - 1, Number(day));
  const calendar = new Date(date);
  const inRange =
    calendar.getUTCFullYear() === Number(year) &&
    calendar.getUTCMonth() === Number(month) - 1 &&
    calendar.getUTCDate() === Number(day) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    Number(offsetHours) <= 23 &&
    Number(offsetMinutes) <= 59;
  if (!inRange) throw new CliUsageError(`${option} is not a real date and time: "${value}"`);
  const offsetMs = utc ? 0 : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000;
  const millis = Math.floor(Number(`0.${fraction}`) * 1000);
  return date + ((Number(hour) * 60 + Number(minute)) * 60 + Number(second)) * 1000 + millis - offsetMs;
}
