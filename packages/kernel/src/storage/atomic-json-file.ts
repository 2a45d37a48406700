import { readFileSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A small JSON document kept on disk with crash-safe replacement: write a temp file, fsync it,
 * rename over the old one, fsync the directory. A reader never sees a half-written document.
 * Writes run off the event loop and one at a time, in call order.
 */
export class AtomicJsonFile<T> {
  private lastWrite: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  read(): T | undefined {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return JSON.parse(text) as T;
  }

  /** Resolves once `value` is durable; a failed write rejects this call only. */
  write(value: T): Promise<void> {
    const text = JSON.stringify(value);
    const written = this.lastWrite.then(() => this.replace(text));
    this.lastWrite = written.catch(() => undefined);
    return written;
  }

  private async replace(text: string): Promise<void> {
    const dir = dirname(this.file);
    await mkdir(dir, { recursive: true });
    const temp = `${this.file}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(text);
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
    const dirHandle = await open(dir, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }
}
