import { join } from 'node:path';
import { AtomicJsonFile, type Logger } from '@tessera/kernel';
import type { PersistenceCheckpoint } from './persistence-checkpoint';
import type { StateSnapshot } from './state-snapshot';

/**
 * Keeps dataDir/mqtt/persistence-state.json: the whole state with the journal position it covers,
 * written (off the event loop) every interval if any batch was begun since the last one, on demand, and at stop.
 */
export class PersistenceCheckpointer {
  private readonly file: AtomicJsonFile<PersistenceCheckpoint>;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private writtenBatchSeq = -1;
  private running = false;

  constructor(
    dataDir: string,
    /** Seq of the latest batch begun; no checkpoint is written while it stays the one last written. */
    private readonly batchSeq: () => number,
    private readonly capture: () => StateSnapshot,
    private readonly logger: Logger,
  ) {
    this.file = new AtomicJsonFile(join(dataDir, 'mqtt', 'persistence-state.json'));
  }

  /** The last checkpoint written, if any. */
  load(): PersistenceCheckpoint | undefined {
    const checkpoint = this.file.read();
    if (checkpoint && checkpoint.version !== 1) throw new Error(`persistence-state.json has unknown version ${String(checkpoint.version)}`);
    this.writtenBatchSeq = checkpoint?.batchSeq ?? -1;
    return checkpoint;
  }

  start(intervalMs: number): void {
    this.running = true;
    this.timer = setInterval(() => this.writeInBackground(), intervalMs);
    this.timer.unref();
  }

  /** Writes a checkpoint now unless one is being written; a failure is logged and retried at the next interval. */
  writeInBackground(): void {
    if (!this.running) return;
    this.write(false).catch((error: unknown) => this.logger.error({ err: error }, 'writing the MQTT persistence checkpoint failed; will retry'));
  }

  /** Stops the interval and writes a last checkpoint. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.writing?.catch(() => undefined);
    await this.write(true);
  }

  private async write(final: boolean): Promise<void> {
    if (this.writing && !final) return;
    const batchSeq = this.batchSeq();
    if (batchSeq === this.writtenBatchSeq) return;
    const writing = this.capture()
      .toCheckpoint().then((checkpoint) => this.file.write(checkpoint));
    this.writing = writing;
    try {
      await writing;
      this.writtenBatchSeq = batchSeq;
    } finally {
      if (this.writing === writing) this.writing = undefined;
    }
  }
}
