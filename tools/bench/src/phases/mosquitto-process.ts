import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, waitForPort } from '@tessera/testing';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_KEPT_CHARS = 16 * 1024;

/** A Mosquitto broker on 127.0.0.1 and a free port, default settings (no persistence), for side-by-side figures. */
export class MosquittoProcess {
  private output = '';
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS)));
    child.stdout!.on('data', (chunk: Buffer) => (this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS)));
    this.exited = new Promise((resolve) => child.once('exit', (code) => ((this.exitCode = code), resolve())));
  }

  /** Writes `<dir>/mosquitto.conf` and starts `mosquitto -c` on it; resolves once the port accepts connections. */
  static async start(executable: string, dir: string): Promise<MosquittoProcess> {
    const port = await freePort();
    const configFile = join(dir, 'mosquitto.conf');
    writeFileSync(configFile, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', 'log_dest stderr', 'log_type error', ''].join('\n'));
    const broker = new MosquittoProcess(spawn(executable, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] }), port);
    try {
      await waitForPort(port, START_TIMEOUT_MS, () => (broker.exitCode !== undefined ? `mosquitto exited (code ${broker.exitCode})` : undefined));
    } catch (error) {
      await broker.stop();
      throw new Error(`mosquitto did not start listening on 127.0.0.1:${port}: ${(error as Error).message}\n${broker.output}`);
    }
    return broker;
  }

  /** What `mosquitto -h` says on its first line, e.g. `mosquitto version 2.0.11`. */
  static version(executable: string): string {
    return spawnSync(executable, ['-h'], { encoding: 'utf8', timeout: 5_000 }).stdout.split('\n')[0]?.trim() ?? 'unknown';
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** SIGTERM, then SIGKILL if it has not exited within 10 s. */
  async stop(): Promise<void> {
    if (this.exitCode !== undefined) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }
}
