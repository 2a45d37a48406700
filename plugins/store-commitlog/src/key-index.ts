import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyIndexFile } from './key-index-file';
import { parseSegmentFileName, segmentFileName } from './segment-file-name';
import { uint64 } from './uint64';

const STAGED_BYTES = 20;
const ENTRY_BYTES = 24;
/** Longest hash chain one query walks in one file: bounds the work a hot hash can cause. */
const MAX_CHAIN_STEPS = 100_000;

/** Key-index entries staged by appends, handed to the writer as one block. */
export interface StagedKeys {
  count: number;
  buffer: Buffer;
}

/**
 * Lookup by topic + key: a chain of KeyIndexFiles, rotated when full, each named by the first
 * log position it indexes. Entries are added in log order, so the newest file is the only one
 * written and the only one whose slot table is in memory.
 */
export class KeyIndex {
  private readonly files: KeyIndexFile[] = [];
  private staging = Buffer.allocUnsafe(256 * STAGED_BYTES);
  private stagedCount = 0;

  constructor(
    private readonly dir: string,
    private readonly slotCount: number,
    private readonly entriesPerFile: number,
  ) {}

  /** 32-bit FNV-1a over the topic, a separator and the key: a JS loop beats a native call on short strings. */
  static hash(topic: string, key: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < topic.length; i++) hash = Math.imul(hash ^ topic.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0xffff, 0x01000193);
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    return hash >>> 0;
  }

  /** Opens the files and drops entries at or past `truncateFrom` (they get re-indexed from the log). */
  async open(truncateFrom: number): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const starts = (await readdir(this.dir))
      .map(parseSegmentFileName)
      .filter((start): start is number => start !== undefined)
      .sort((a, b) => a - b);
    const kept = starts.filter((start, i) => i === 0 || start < truncateFrom);
    for (const start of starts.filter((s) => !kept.includes(s))) {
      await (await KeyIndexFile.open(join(this.dir, segmentFileName(start)), start)).remove();
    }
    for (const [i, start] of kept.entries()) {
      const last = i === kept.length - 1;
      const path = join(this.dir, segmentFileName(start));
      this.files.push(await KeyIndexFile.open(path, start, last ? { unseal: true, truncateFrom } : {}));
    }
  }

  /** Log position of the newest indexed record; -1 if none. Records after it still need indexing. */
  get lastIndexedPosition(): number {
    for (let i = this.files.length - 1; i >= 0; i--) {
      if (this.files[i]!.entryCount > 0) return this.files[i]!.lastLogPosition;
    }
    return -1;
  }

  stage(topic: string, key: string, logPosition: number, storeTimestamp: number): void {
    if ((this.stagedCount + 1) * STAGED_BYTES > this.staging.length) {
      const larger = Buffer.allocUnsafe(this.staging.length * 2);
      this.staging.copy(larger, 0, 0, this.stagedCount * STAGED_BYTES);
      this.staging = larger;
    }
    const at = this.stagedCount++ * STAGED_BYTES;
    this.staging.writeUInt32LE(KeyIndex.hash(topic, key), at);
    uint64.write(this.staging, logPosition, at + 4);
    uint64.write(this.staging, storeTimestamp, at + 12);
  }

  /** Several detached blocks as one, in order: one write instead of one per block. */
  static merge(blocks: readonly StagedKeys[]): StagedKeys {
    if (blocks.length === 1) return blocks[0]!;
    const count = blocks.reduce((sum, block) => sum + block.count, 0);
    const buffer = Buffer.allocUnsafe(count * STAGED_BYTES);
    let at = 0;
    for (const block of blocks) at += block.buffer.copy(buffer, at, 0, block.count * STAGED_BYTES);
    return { count, buffer };
  }

  detachStaged(): StagedKeys | undefined {
    if (this.stagedCount === 0) return undefined;
    const staged = { count: this.stagedCount, buffer: this.staging };
    this.staging = Buffer.allocUnsafe(this.staging.length);
    this.stagedCount = 0;
    return staged;
  }

  /** Links and writes staged entries: one write per file touched, sealing and rotating full files. */
  async write(staged: StagedKeys): Promise<void> {
    let done = 0;
    while (done < staged.count) {
      let file = this.files[this.files.length - 1];
      const firstPosition = uint64.read(staged.buffer, done * STAGED_BYTES + 4);
      if (!file || file.isFull) {
        if (file) await file.seal();
        file = await KeyIndexFile.create(join(this.dir, segmentFileName(firstPosition)), firstPosition, this.slotCount, this.entriesPerFile);
        this.files.push(file);
      }
      const inFile = Math.min(staged.count - done, file.entryCapacity - file.entryCount);
      const encoded = Buffer.allocUnsafe(inFile * ENTRY_BYTES);
      for (let i = 0; i < inFile; i++) {
        const at = (done + i) * STAGED_BYTES;
        file.link(staged.buffer.readUInt32LE(at), uint64.read(staged.buffer, at + 4), uint64.read(staged.buffer, at + 12), encoded, i * ENTRY_BYTES);
      }
      await file.writeLinked(encoded);
      done += inFile;
    }
  }

  /** Drops entries at or past `position` (after a failed write, the log was cut there). */
  async truncateFrom(position: number): Promise<void> {
    await this.close();
    await this.open(position);
  }

  /** Log positions of records that may carry the key, newest first, within the time bounds. */
  async *candidates(topic: string, key: string, beginTimestamp: number, endTimestamp: number): AsyncGenerator<number> {
    const hash = KeyIndex.hash(topic, key);
    for (let i = this.files.length - 1; i >= 0; i--) {
      const file = this.files[i]!;
      if (file.entryCount === 0 || file.endTimestamp < beginTimestamp || file.beginTimestamp > endTimestamp) continue;
      let number = await file.slotHead(hash);
      for (let steps = 0; number > 0 && number <= file.entryCount && steps < MAX_CHAIN_STEPS; steps++) {
        const entry = await file.entry(number);
        if (entry.keyHash === hash && entry.storeTimestamp >= beginTimestamp && entry.storeTimestamp <= endTimestamp) {
          yield entry.logPosition;
        }
        if (entry.previous >= number) break;
        number = entry.previous;
      }
    }
  }

  async sync(): Promise<void> {
    await this.files[this.files.length - 1]?.sync();
  }

  /** Deletes files whose entries all point below `logStart`; never the newest. */
  async trimBelow(logStart: number): Promise<number> {
    let deleted = 0;
    while (this.files.length > 1 && this.files[1]!.startPosition <= logStart) {
      await this.files.shift()!.remove();
      deleted++;
    }
    return deleted;
  }

  async close(): Promise<void> {
    for (const file of this.files.splice(0)) await file.close();
  }
}
