import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** What recovery may trust without rescanning the log. */
export interface Checkpoint {
  version: 1;
  /** Every record below this log position is durable and has its consume-queue and key-index entries on disk. */
  indexedOffset: number;
  /** Each queue's end at that point ("topic/queueId" → offset): a queue found shorter is rebuilt. */
  queues: Record<string, number>;
  /** Topics deleted at a log position: their older records are not re-indexed. */
  deletedTopics: Record<string, number>;
}

/** The checkpoint on disk, replaced atomically (temp file, fsync, rename, fsync dir) with async I/O. */
export class CheckpointFile {
  constructor(private readonly path: string) {}

  async read(): Promise<Checkpoint | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as Checkpoint;
      return parsed.version === 1 && Number.isSafeInteger(parsed.indexedOffset) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }

  async write(checkpoint: Checkpoint): Promise<void> {
    const temp = `${this.path}.tmp`;
    const file = await open(temp, 'w');
    try {
      await file.writeFile(JSON.stringify(checkpoint));
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(temp, this.path);
    const dir = await open(dirname(this.path), 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
