import { reportFailure } from '../output/report-failure';
import { createProgram } from '../program/create-program';

export interface InProcessRun {
  exitCode: number | undefined;
  /** One entry per console.log call. */
  stdout: string[];
  stderr: string;
}

/** Runs `tessera <args>` in this (jest) process the way bin/tessera does, capturing output and exit code. */
export async function runTesseraInProcess(...args: string[]): Promise<InProcessRun> {
  const run: InProcessRun = { exitCode: undefined, stdout: [], stderr: '' };
  const log = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void run.stdout.push(String(line)));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((run.stderr += String(chunk)), true));
  const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => void (run.exitCode ??= code)) as typeof process.exit);
  try {
    await createProgram()
      .parseAsync(args, { from: 'user' })
      .catch((error: unknown) => process.exit(reportFailure(error)));
  } finally {
    log.mockRestore();
    stderr.mockRestore();
    exit.mockRestore();
  }
  return run;
}
