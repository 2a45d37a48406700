import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';

const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
const TESSERA_BIN = join(REPO_ROOT, 'packages', 'cli', 'bin', 'tessera.js');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const OUTPUT_KEPT_CHARS = 16 * 1024;

/** A `tessera start` process the bench runs against, on a free 127.0.0.1 port. */
export class BenchBroker {
  private outputTail = '';
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    const keep = (chunk: Buffer) => (this.outputTail = (this.outputTail + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    this.exited = new Promise((done) =>
      child.once('exit', (code) => {
        this.exitCode = code;
        done();
      }),
    );
  }

  static async start(dataDir: string, flush: 'SYNC' | 'ASYNC'): Promise<BenchBroker> {
    if (!existsSync(join(REPO_ROOT, 'packages', 'cli', 'dist', 'bin', 'tessera.js'))) {
      throw new Error('the CLI is not built: run `npx tsc -b tsconfig.build.json` (npm run bench builds first)');
    }
    const port = await freePort();
    const child = spawn(process.execPath, [TESSERA_BIN, 'start', '--data-dir', dataDir, '--port', String(port), '--flush', flush], {
      cwd: dataDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const broker = new BenchBroker(child, port);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await accepts(port))) {
      if (broker.exitCode !== undefined || Date.now() > deadline) {
        await broker.stop();
        throw new Error(`the ${flush} broker did not start:\n${broker.outputTail}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return broker;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** SIGTERM (an ordered stop), SIGKILL if it takes too long. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
