import { spawn } from 'node:child_process';
import { REPO_ROOT, TESSERA_BIN } from '@tessera/testing';

export interface TesseraRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `tessera <args>` to its end (killed after `timeoutMs`) and collects its output. */
export function runTessera(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<TesseraRun> {
  const child = spawn(process.execPath, [TESSERA_BIN, ...args], { cwd: options.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => {
      clearTimeout(killer);
      resolve({ exitCode, signal, stdout, stderr });
    });
  });
}
