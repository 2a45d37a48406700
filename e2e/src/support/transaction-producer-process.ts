import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { SentHalf, TransactionProducerWorkerConfig } from './transaction-producer-worker';

const WORKER_SCRIPT = join(__dirname, '..', '..', 'dist', 'support', 'transaction-producer-worker.js');

/** A transactional producer in a child process (see transaction-producer-worker.ts) that a test can SIGKILL. */
export class TransactionProducerProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
  ) {}

  /** Starts the worker and resolves with the halves it sent, once it sent them all. */
  static async sendHalves(config: TransactionProducerWorkerConfig, timeoutMs = 30_000): Promise<{ worker: TransactionProducerProcess; sent: SentHalf[] }> {
    const child = spawn(process.execPath, [WORKER_SCRIPT, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const worker = new TransactionProducerProcess(child, exited);
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8192)));
    const sent = await new Promise<SentHalf[]>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the worker did not send its halves within ${timeoutMs} ms: ${stderr}`)), timeoutMs);
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (!stdout.endsWith('sent\n')) return;
        clearTimeout(timer);
        resolve(stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as SentHalf));
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`the worker exited with ${code} before it sent its halves: ${stderr}`));
      });
    });
    return { worker, sent };
  }

  /** A crash: the halves stay undecided. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
