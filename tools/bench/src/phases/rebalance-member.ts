import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RebalanceMemberCommand, RebalanceMemberReport, RebalanceMemberSetup } from './rebalance-member-protocol';

const READY_TIMEOUT_MS = 30_000;
const STDERR_KEPT_CHARS = 8192;

/** The bench's handle on a rebalance member process (see rebalance-member-worker). */
export class RebalanceMember {
  private stderrTail = '';
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly clientId: string,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => (this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_KEPT_CHARS)));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Starts the process and waits until it has loaded; it joins the group only on `join()`. */
  static async spawn(setup: RebalanceMemberSetup): Promise<RebalanceMember> {
    const child = fork(join(__dirname, 'rebalance-member-worker.js'), [JSON.stringify(setup)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const member = new RebalanceMember(child, setup.clientId);
    await member.report('ready', READY_TIMEOUT_MS);
    return member;
  }

  /** What the member printed lately (errors it recovered from), for failure messages. */
  get errors(): string {
    return this.stderrTail;
  }

  /** Resolves once the member's PushConsumer has started (joined and synced once). */
  async join(timeoutMs: number): Promise<void> {
    const joined = this.report('joined', timeoutMs);
    this.send({ type: 'join' });
    await joined;
  }

  /** A graceful leave: the member shuts its consumer down (commits, leaves the group) and exits. */
  async leave(timeoutMs: number): Promise<void> {
    this.send({ type: 'leave' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** A crash: SIGKILL, nothing said to the broker. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private send(command: RebalanceMemberCommand): void {
    this.child.send(command);
  }

  private report(type: 'ready' | 'joined', timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve();
      };
      const onMessage = (report: RebalanceMemberReport) => {
        if (report.type === 'failed') done(new Error(report.message));
        else if (report.type === type) done();
      };
      const onExit = (code: number | null) => done(new Error(`member ${this.clientId} exited (code ${code}) before '${type}': ${this.stderrTail}`));
      const timer = setTimeout(() => done(new Error(`member ${this.clientId} not '${type}' after ${timeoutMs} ms: ${this.stderrTail}`)), timeoutMs);
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
    });
  }
}
