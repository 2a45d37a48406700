import { CliUsageError } from './cli-usage-error';
import { parsePositiveInteger } from './parse-positive-integer';

const HIGHEST_PORT = 65535;

/** A TCP port; 0 asks the system for a free one. */
export function parsePort(option: string, value: string): number {
  const port = parsePositiveInteger(option, value, 0);
  if (port > HIGHEST_PORT) throw new CliUsageError(`${option} must be a port between 0 and ${HIGHEST_PORT}, got "${value}"`);
  return port;
}
