import { CommanderError } from 'commander';
import { ConfigError } from '@tessera/kernel';
import { CliUsageError } from '../options/cli-usage-error';

export const EXIT_FAILURE = 1;
export const EXIT_BAD_CONFIG = 2;
export const EXIT_USAGE = 2;

/**
 * Prints why a command failed on stderr and returns the exit code: 2 for a bad config or a command
 * line that cannot run as given, else 1. Commander prints its own parse errors (and help), so
 * those only get their exit code: 0 for help and version, 2 for the rest.
 */
export function reportFailure(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
  if (error instanceof ConfigError) {
    stderr.write(`tessera: invalid configuration: ${error.message}\n`);
    return EXIT_BAD_CONFIG;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`tessera: ${message}\n`);
  return error instanceof CliUsageError ? EXIT_USAGE : EXIT_FAILURE;
}
