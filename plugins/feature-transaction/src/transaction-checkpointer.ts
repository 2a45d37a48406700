import { join } from 'node:path';
import { AtomicJsonFile, type Logger } from '@tessera/kernel';
import type { TransactionCheckpoint } from './transaction-checkpoint';

/**
 * Keeps dataDir/metadata/transaction-state.json: written (off the event loop) every interval when
 * the open transactions changed, and at stop.
 */
export class TransactionCheckpointer {
  private readonly file: AtomicJsonFile<TransactionCheckpoint>;
  private timer: NodeJS.Timeout | undefined;
  private changed = false;
  private writing: Promise<void> | undefined;

  constructor(
    dataDir: string,
    private readonly snapshot: () => TransactionCheckpoint,
    private readonly logger: Logger,
  ) {
    this.file = new AtomicJsonFile(join(dataDir, 'metadata', 'transaction-state.json'));
  }

  load(): TransactionCheckpoint | undefined {
    const checkpoint = this.file.read();
    if (checkpoint && checkpoint.version !== 1) {
      throw new Error(`transaction-state.json has unknown version ${String(checkpoint.version)}`);
    }
    return checkpoint;
  }

  noteChange(): void {
    this.changed = true;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      if (this.writing || !this.changed) return;
      this.write().catch((error: unknown) => this.logger.error({ err: error }, 'writing the transaction checkpoint failed; will retry'));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.writing?.catch(() => undefined);
    if (this.changed) await this.write();
  }

  private async write(): Promise<void> {
    this.changed = false;
    const writing = this.file.write(this.snapshot());
    this.writing = writing;
    try {
      await writing;
    } catch (error) {
      this.changed = true;
      throw error;
    } finally {
      this.writing = undefined;
    }
  }
}
