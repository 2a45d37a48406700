import { spawn } from 'node:child_process';

export interface CommandRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCommand {
  /** What it printed so far. */
  readonly output: () => string;
  readonly finished: Promise<CommandRun>;
}

/** Starts `mosquitto_pub` / `mosquitto_sub` (Debian's mosquitto-clients); killed after `timeoutMs`. */
export function startMosquittoClient(command: 'mosquitto_pub' | 'mosquitto_sub', args: readonly string[], timeoutMs = 15_000): RunningCommand {
  // Line-buffered, so a test can watch for "received SUBACK" while the client runs.
  const child = spawn('stdbuf', ['-oL', '-eL', command, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const finished = new Promise<CommandRun>((resolve, reject) => {
    child.once('error', (error) => reject(new Error(`${command} failed to start (run tools/scripts/install-test-deps.sh): ${error.message}`)));
    child.once('close', (exitCode) => {
      clearTimeout(killer);
      resolve({ exitCode, stdout, stderr });
    });
  });
  return { output: () => stdout + stderr, finished };
}
