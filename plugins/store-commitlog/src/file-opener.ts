import { open, type FileHandle } from 'node:fs/promises';

export const FileOpener = Symbol.for('tessera.store-commitlog.FileOpener');

/** Opens the commitlog's segment files; a test may bind one whose handles fail (a full disk, say). */
export type FileOpener = (path: string, flags: string) => Promise<FileHandle>;

export const openFile: FileOpener = (path, flags) => open(path, flags);
