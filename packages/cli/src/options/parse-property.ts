import { CliUsageError } from './cli-usage-error';

/** Commander collector for repeated `--property key=value`. */
export function parseProperty(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new CliUsageError(`--property must be key=value, got "${value}"`);
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}
