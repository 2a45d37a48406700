import { CliUsageError } from './cli-usage-error';

/** Parses a duration in seconds (fractions allowed) into milliseconds. */
export function parsePositiveSeconds(option: string, value: string): number {
  const trimmed = value.trim();
  const seconds = /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(seconds > 0)) throw new CliUsageError(`${option} must be a positive number of seconds, got "${value}"`);
  return Math.round(seconds * 1000);
}
