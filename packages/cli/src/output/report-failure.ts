import { ConfigError } from '@tessera/kernel';

export const EXIT_FAILURE = 1;
export const EXIT_BAD_CONFIG = 2;

/** Prints why a command failed on stderr and returns the exit code: 2 for a bad config, else 1. */
export function reportFailure(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof ConfigError) {
    stderr.write(`tessera: invalid configuration: ${error.message}\n`);
    return EXIT_BAD_CONFIG;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`tessera: ${message}\n`);
  return EXIT_FAILURE;
}
