import { CliUsageError } from './cli-usage-error';
import { parsePort } from './parse-port';

/** Checks a `host:port` broker address and returns it normalised (trimmed). */
export function parseServerAddress(value: string): string {
  const trimmed = value.trim();
  const separator = trimmed.lastIndexOf(':');
  const host = trimmed.slice(0, separator);
  if (separator <= 0 || host.length === 0) {
    throw new CliUsageError(`--server must be host:port (e.g. 127.0.0.1:10911), got "${value}"`);
  }
  const port = parsePort('--server port', trimmed.slice(separator + 1));
  if (port === 0) throw new CliUsageError(`--server needs a real port, got "${value}"`);
  return `${host}:${port}`;
}
