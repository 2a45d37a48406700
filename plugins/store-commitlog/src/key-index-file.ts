import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, unlink } from 'node:fs/promises';
import { uint64 } from './uint64';

const MAGIC = 0x54534b49;
const HEADER_BYTES = 48;
const ENTRY_BYTES = 24;
const REPLAY_CHUNK_ENTRIES = 16384;

/**
 * One file of the key index, a disk hash table like RocketMQ's IndexFile:
 *
 *   header (48 bytes): magic u32, sealed u32, slotCount u32, entryCapacity u32, entryCount u32,
 *     reserved u32, beginTimestamp u64, endTimestamp u64, lastLogPosition u64
 *   slots: slotCount × u32 — number (1-based) of the newest entry whose key hash lands there
 *   entries: entryCapacity × 24 bytes — key hash u32, log position u64, store timestamp u64,
 *     previous entry in the same slot u32 (1-based, 0 = end of chain)
 *
 * Only the active file's slot table lives in memory; it is written when the file is sealed. An
 * unsealed file's slots are rebuilt at open by replaying its entries.
 */
export class KeyIndexFile {
  entryCount = 0;
  /** Entries below this number are on disk; the rest sit in `inFlight` until their write finishes. */
  private writtenCount = 0;
  private inFlight: Buffer | undefined;
  beginTimestamp = 0;
  endTimestamp = 0;
  lastLogPosition = -1;
  private slots: Uint32Array | undefined;
  private unsynced = false;

  private constructor(
    readonly path: string,
    readonly startPosition: number,
    private readonly handle: FileHandle,
    readonly slotCount: number,
    readonly entryCapacity: number,
    public sealed: boolean,
  ) {}

  static async create(path: string, startPosition: number, slotCount: number, entryCapacity: number): Promise<KeyIndexFile> {
    const handle = await open(path, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC);
    const file = new KeyIndexFile(path, startPosition, handle, slotCount, entryCapacity, false);
    file.slots = new Uint32Array(slotCount);
    await file.writeHeader();
    return file;
  }

  /**
   * Opens a file. A sealed one keeps only its header in memory. An active one (or one reopened for
   * writing with `unseal`) rebuilds its slot table, dropping entries at or past `truncateFrom` and
   * any torn tail.
   */
  static async open(path: string, startPosition: number, options: { unseal?: boolean; truncateFrom?: number } = {}): Promise<KeyIndexFile> {
    const handle = await open(path, constants.O_RDWR);
    const header = Buffer.alloc(HEADER_BYTES);
    await handle.read(header, 0, HEADER_BYTES, 0);
    if (header.readUInt32LE(0) !== MAGIC) {
      await handle.close();
      throw new Error(`${path} is not a key index file`);
    }
    const sealed = header.readUInt32LE(4) === 1;
    const file = new KeyIndexFile(path, startPosition, handle, header.readUInt32LE(8), header.readUInt32LE(12), sealed);
    if (sealed && !options.unseal) {
      file.entryCount = file.writtenCount = header.readUInt32LE(16);
      file.beginTimestamp = uint64.read(header, 24);
      file.endTimestamp = uint64.read(header, 32);
      file.lastLogPosition = uint64.read(header, 40);
      return file;
    }
    file.sealed = false;
    await file.replay(options.truncateFrom ?? Number.POSITIVE_INFINITY);
    return file;
  }

  get isFull(): boolean {
    return this.entryCount >= this.entryCapacity;
  }

  /** Adds an entry to the slot table and encodes it into `target`; the caller writes it. */
  link(keyHash: number, logPosition: number, storeTimestamp: number, target: Buffer, at: number): void {
    const slot = keyHash % this.slotCount;
    target.writeUInt32LE(keyHash, at);
    uint64.write(target, logPosition, at + 4);
    uint64.write(target, storeTimestamp, at + 12);
    target.writeUInt32LE(this.slots![slot]!, at + 20);
    this.slots![slot] = ++this.entryCount;
    if (this.beginTimestamp === 0) this.beginTimestamp = storeTimestamp;
    this.endTimestamp = Math.max(this.endTimestamp, storeTimestamp);
    this.lastLogPosition = logPosition;
  }

  /** Writes entries linked since the last write (encoded in `buffer`). */
  async writeLinked(buffer: Buffer): Promise<void> {
    const count = this.entryCount - this.writtenCount;
    if (count === 0) return;
    this.inFlight = buffer;
    const bytes = count * ENTRY_BYTES;
    const { bytesWritten } = await this.handle.write(buffer, 0, bytes, this.entryPosition(this.writtenCount));
    if (bytesWritten !== bytes) throw Object.assign(new Error('short key-index write'), { code: 'EIO' });
    this.writtenCount = this.entryCount;
    this.inFlight = undefined;
    this.unsynced = true;
  }

  /** Writes the slot table and marks the file complete; its slots leave memory. */
  async seal(): Promise<void> {
    const slots = this.slots!;
    await this.handle.write(Buffer.from(slots.buffer, slots.byteOffset, slots.byteLength), 0, slots.byteLength, HEADER_BYTES);
    this.sealed = true;
    await this.writeHeader();
    await this.handle.datasync();
    this.slots = undefined;
  }

  /** Number (1-based) of the newest entry in the key hash's slot; 0 when empty. */
  async slotHead(keyHash: number): Promise<number> {
    const slot = keyHash % this.slotCount;
    if (this.slots) return this.slots[slot]!;
    const buffer = Buffer.alloc(4);
    await this.handle.read(buffer, 0, 4, HEADER_BYTES + slot * 4);
    return buffer.readUInt32LE(0);
  }

  /** Entry `number` (1-based): its key hash, log position, store timestamp and predecessor. */
  async entry(number: number): Promise<{ keyHash: number; logPosition: number; storeTimestamp: number; previous: number }> {
    const index = number - 1;
    let source: Buffer;
    let at = 0;
    if (index >= this.writtenCount && this.inFlight) {
      source = this.inFlight;
      at = (index - this.writtenCount) * ENTRY_BYTES;
    } else {
      source = Buffer.alloc(ENTRY_BYTES);
      await this.handle.read(source, 0, ENTRY_BYTES, this.entryPosition(index));
    }
    return {
      keyHash: source.readUInt32LE(at),
      logPosition: uint64.read(source, at + 4),
      storeTimestamp: uint64.read(source, at + 12),
      previous: source.readUInt32LE(at + 20),
    };
  }

  /** fsyncs entries written since the last call, if any. */
  async sync(): Promise<void> {
    if (!this.unsynced) return;
    this.unsynced = false;
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }

  async remove(): Promise<void> {
    await this.handle.close();
    await unlink(this.path);
  }

  private entryPosition(index: number): number {
    return HEADER_BYTES + this.slotCount * 4 + index * ENTRY_BYTES;
  }

  private async writeHeader(): Promise<void> {
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(this.sealed ? 1 : 0, 4);
    header.writeUInt32LE(this.slotCount, 8);
    header.writeUInt32LE(this.entryCapacity, 12);
    header.writeUInt32LE(this.entryCount, 16);
    uint64.write(header, this.beginTimestamp, 24);
    uint64.write(header, this.endTimestamp, 32);
    uint64.write(header, Math.max(0, this.lastLogPosition), 40);
    await this.handle.write(header, 0, HEADER_BYTES, 0);
  }

  /** Rebuilds the in-memory slot table from the entries on disk, cutting at `truncateFrom` or a torn entry. */
  private async replay(truncateFrom: number): Promise<void> {
    const slots = new Uint32Array(this.slotCount);
    const onDisk = Math.min(
      this.entryCapacity,
      Math.max(0, Math.floor(((await this.handle.stat()).size - this.entryPosition(0)) / ENTRY_BYTES)),
    );
    const chunk = Buffer.alloc(REPLAY_CHUNK_ENTRIES * ENTRY_BYTES);
    let count = 0;
    let lastLogPosition = -1;
    let beginTimestamp = 0;
    let endTimestamp = 0;
    scan: while (count < onDisk) {
      const inChunk = Math.min(REPLAY_CHUNK_ENTRIES, onDisk - count);
      await this.handle.read(chunk, 0, inChunk * ENTRY_BYTES, this.entryPosition(count));
      for (let i = 0; i < inChunk; i++) {
        const at = i * ENTRY_BYTES;
        const logPosition = uint64.read(chunk, at + 4);
        const storeTimestamp = uint64.read(chunk, at + 12);
        const previous = chunk.readUInt32LE(at + 20);
        if (logPosition >= truncateFrom || logPosition < lastLogPosition || storeTimestamp === 0 || previous > count) break scan;
        slots[chunk.readUInt32LE(at) % this.slotCount] = ++count;
        lastLogPosition = logPosition;
        if (beginTimestamp === 0) beginTimestamp = storeTimestamp;
        endTimestamp = Math.max(endTimestamp, storeTimestamp);
      }
    }
    if (count < onDisk) await this.handle.truncate(this.entryPosition(count));
    this.slots = slots;
    this.entryCount = this.writtenCount = count;
    this.lastLogPosition = lastLogPosition;
    this.beginTimestamp = beginTimestamp;
    this.endTimestamp = endTimestamp;
    this.sealed = false;
    await this.writeHeader();
  }
}
