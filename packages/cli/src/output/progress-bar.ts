import { SingleBar } from 'cli-progress';

export interface ProgressBar {
  increment(by: number): void;
  stop(): void;
}

/** A progress bar on stderr for a run of known length; silent when stderr is not a terminal or the length is unknown. */
export function createProgressBar(label: string, total: number | undefined, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY || total === undefined) return { increment: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {value}/{total} {percentage}% | {eta_formatted} left`,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return { increment: (by) => bar.increment(by), stop: () => bar.stop() };
}
