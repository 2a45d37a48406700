import { CliUsageError } from './cli-usage-error';

/** Parses an option value that must be a whole number ≥ `minimum` (1 unless told). */
export function parsePositiveInteger(option: string, value: string, minimum = 1): number {
  const trimmed = value.trim();
  const parsed = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < minimum) {
    throw new CliUsageError(`${option} must be a whole number ≥ ${minimum}, got "${value}"`);
  }
  return parsed;
}
