import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { GroupMemberWorkerConfig } from './group-member-worker';

const WORKER_SCRIPT = join(__dirname, '..', '..', 'dist', 'support', 'group-member-worker.js');

/** A group member running in a child process (see group-member-worker.ts). */
export class GroupMemberProcess {
  private stderrTail = '';
  readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly clientId: string,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-8192)));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(config: GroupMemberWorkerConfig, timeoutMs = 30_000): Promise<GroupMemberProcess> {
    const child = spawn(process.execPath, [WORKER_SCRIPT, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const member = new GroupMemberProcess(child, config.clientId);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`member ${config.clientId} not ready after ${timeoutMs} ms: ${member.stderrTail}`)), timeoutMs);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`member ${config.clientId} exited with ${code} before it was ready: ${member.stderrTail}`));
      });
    });
    return member;
  }

  /** What the member printed to stderr lately (errors it recovered from). */
  get errors(): string {
    return this.stderrTail;
  }

  /** A crash: nothing committed on the way out. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** A graceful leave: stops consuming, commits, leaves the group. */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}
