import type { BrokerRuntime } from './broker-runtime';

/**
 * SIGTERM/SIGINT stop the broker in order (stop accepting, drain, flush) and exit 0; a second
 * signal while stopping exits at once with 130.
 */
export function installSignalHandlers(runtime: BrokerRuntime, exit: (code: number) => void = process.exit): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      runtime.logger.warn({ signal }, 'second signal: exiting without a clean stop');
      exit(130);
      return;
    }
    stopping = true;
    runtime.logger.info({ signal }, 'signal received: stopping');
    runtime.stop().then(
      () => exit(0),
      (error: unknown) => {
        runtime.logger.error({ err: error }, 'stop failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
