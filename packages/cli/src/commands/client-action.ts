import { reportFailure } from '../output/report-failure';

/**
 * Runs a client command to its end and exits: a client command is done when its work is, and
 * must not hang on a socket or timer the SDK keeps. Failures print their message and exit non-zero.
 */
export function clientAction<Options>(run: (options: Options) => Promise<number | void>): (options: Options) => Promise<void> {
  return async (options) => {
    let exitCode: number;
    try {
      exitCode = (await run(options)) ?? 0;
    } catch (error) {
      exitCode = reportFailure(error);
    }
    process.exit(exitCode);
  };
}
