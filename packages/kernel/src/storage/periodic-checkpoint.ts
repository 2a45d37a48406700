import { basename } from 'node:path';
import type { Logger } from '../logging/logger';
import { AtomicJsonFile } from './atomic-json-file';

export interface PeriodicCheckpointOptions<T> {
  /** The JSON document (written with AtomicJsonFile). */
  file: string;
  /** What a checkpoint saves, covering `progress` (see below; undefined without it). */
  capture(progress: number | undefined): T | Promise<T>;
  /**
   * How far the state has come, e.g. a journal offset: a checkpoint is due when it moved since the
   * last one. Without it only markChanged() makes one due.
   */
  progress?(): number;
  /** The progress a loaded checkpoint covers, so an unchanged state is not written again. */
  progressOf?(checkpoint: T): number;
  /** Names the state in failure logs, e.g. 'per-message-ack'. */
  what: string;
  logger: Logger;
}

/**
 * A version-1 JSON checkpoint of some state, written off the event loop every interval when it is
 * due, on demand, and at stop; a failed write stays due. Recovery loads it, then replays what came
 * after it.
 */
export class PeriodicCheckpoint<T extends { version: number }> {
  private readonly file: AtomicJsonFile<T>;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private writtenProgress: number | undefined;
  private changed = false;
  private running = false;

  constructor(private readonly options: PeriodicCheckpointOptions<T>) {
    this.file = new AtomicJsonFile(options.file);
  }

  /** The last checkpoint written, if any. */
  load(): T | undefined {
    const checkpoint = this.file.read();
    if (!checkpoint) return undefined;
    if (checkpoint.version !== 1) throw new Error(`${basename(this.options.file)} has unknown version ${String(checkpoint.version)}`);
    this.writtenProgress = this.options.progressOf?.(checkpoint);
    return checkpoint;
  }

  start(intervalMs: number): void {
    this.running = true;
    this.timer = setInterval(() => this.writeInBackground(), intervalMs);
    this.timer.unref();
  }

  /** The state changed in a way `progress` does not show. */
  markChanged(): void {
    this.changed = true;
  }

  /** Writes a checkpoint now if one is due and none is being written; a failure is logged and retried at the next interval. */
  writeInBackground(): void {
    if (!this.running) return;
    this.write(false).catch((error: unknown) => this.options.logger.error({ err: error }, `writing the ${this.options.what} checkpoint failed; will retry`));
  }

  /** Stops the interval and writes a last checkpoint if one is due. */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    await this.writing?.catch(() => undefined);
    await this.write(true);
  }

  private async write(final: boolean): Promise<void> {
    if (this.writing && !final) return;
    const progress = this.options.progress?.();
    if (!this.changed && progress === this.writtenProgress) return;
    this.changed = false;
    const writing = Promise.resolve(this.options.capture(progress)).then((checkpoint) => this.file.write(checkpoint));
    this.writing = writing;
    try {
      await writing;
      this.writtenProgress = progress;
    } catch (error) {
      this.changed = true;
      throw error;
    } finally {
      if (this.writing === writing) this.writing = undefined;
    }
  }
}
