import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's `libqpid-proton11-dev-examples` (installed by tools/scripts/install-test-deps.sh). */
export const PROTON_EXAMPLES_DIR = '/usr/share/proton/examples/python';
/** Debian's interpreter, which has `python3-qpid-proton`; the `python3` on PATH may be another one. */
const PYTHON = '/usr/bin/python3';

export type ProtonExample = 'simple_send.py' | 'simple_recv.py' | 'client.py' | 'server.py' | 'queue_browser.py';

export interface ProtonExampleOptions {
  port: number;
  /** The AMQP address (a queue name) the example sends to or receives from. */
  address: string;
  /** More arguments after `-a 127.0.0.1:<port>/<address>`: e.g. `['-m', '100']`, or client.py's requests. */
  args?: readonly string[];
  /** Killed (SIGKILL) after this long: the examples retry a refused connection for ever. */
  timeoutMs?: number;
}

export interface ProtonExampleRun {
  /** null when it was killed. The examples exit 0 even when the broker refused them: check the output. */
  exitCode: number | null;
  /** Killed at `timeoutMs` or by `stop()` rather than exiting by itself. */
  killed: boolean;
  stdout: string;
  stderr: string;
}

export interface RunningProtonExample {
  /** What it printed so far (stdout then stderr). */
  output(): string;
  finished: Promise<ProtonExampleRun>;
  /** Kills it now (for server.py, which serves until killed). */
  stop(): void;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * Starts one of Qpid Proton's Python examples against 127.0.0.1:port and `address`.
 * queue_browser.py takes no arguments (it browses `examples` on localhost:5672): it runs from its
 * source with those two literals replaced.
 */
export function startProtonExample(example: ProtonExample, options: ProtonExampleOptions): RunningProtonExample {
  const args =
    example === 'queue_browser.py'
      ? ['-c', queueBrowserSource(options.port, options.address)]
      : [join(PROTON_EXAMPLES_DIR, example), '-a', `127.0.0.1:${options.port}/${options.address}`, ...(options.args ?? [])];
  return startProtonPython(args, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
}

/** Runs `/usr/bin/python3 -u <args>` (unbuffered, so `output()` follows it), killed after `timeoutMs`. */
export function startProtonPython(args: readonly string[], timeoutMs: number): RunningProtonExample {
  const child = spawn(PYTHON, ['-u', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let killed = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    killed = true;
    child.kill('SIGKILL');
  };
  const killer = setTimeout(kill, timeoutMs);
  const finished = new Promise<ProtonExampleRun>((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(killer);
      reject(new Error(`${PYTHON} failed to start (run tools/scripts/install-test-deps.sh): ${error.message}`));
    });
    child.once('close', (exitCode) => {
      clearTimeout(killer);
      resolve({ exitCode, killed, stdout, stderr });
    });
  });
  return { output: () => stdout + stderr, finished, stop: kill };
}

/** Runs the example to its end (or its timeout). */
export function runProtonExample(example: ProtonExample, options: ProtonExampleOptions): Promise<ProtonExampleRun> {
  return startProtonExample(example, options).finished;
}

function queueBrowserSource(port: number, address: string): string {
  const source = readFileSync(join(PROTON_EXAMPLES_DIR, 'queue_browser.py'), 'utf8');
  for (const literal of ['"localhost:5672"', '"examples"']) {
    if (!source.includes(literal)) throw new Error(`${PROTON_EXAMPLES_DIR}/queue_browser.py changed: it has no ${literal} to replace`);
  }
  return source.replace('"localhost:5672"', JSON.stringify(`127.0.0.1:${port}`)).replace('"examples"', JSON.stringify(address));
}
