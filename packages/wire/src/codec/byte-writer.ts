const MAX_U16 = 0xffff;
const TWO_POW_32 = 0x1_0000_0000;

/**
 * Appends big-endian fields to one growable buffer, so a whole frame (header and every message
 * of a batch) is encoded into a single allocation. Strings are written in place, no temporaries.
 */
export class ByteWriter {
  private buffer: Buffer;
  private position = 0;

  constructor(initialCapacity = 256) {
    this.buffer = Buffer.allocUnsafe(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.position;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buffer[this.position++] = value;
  }

  bool(value: boolean): void {
    this.u8(value ? 1 : 0);
  }

  u16(value: number): void {
    this.ensure(2);
    this.buffer.writeUInt16BE(value, this.position);
    this.position += 2;
  }

  u32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32BE(value, this.position);
    this.position += 4;
  }

  i32(value: number): void {
    this.ensure(4);
    this.buffer.writeInt32BE(value, this.position);
    this.position += 4;
  }

  /** A non-negative safe integer (offsets, timestamps) as 8 bytes. */
  u64(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`expected a non-negative safe integer, got ${value}`);
    this.ensure(8);
    this.buffer.writeUInt32BE(Math.floor(value / TWO_POW_32), this.position);
    this.buffer.writeUInt32BE(value % TWO_POW_32, this.position + 4);
    this.position += 8;
  }

  /** A presence byte, then the value when present. */
  optionalU64(value: number | undefined): void {
    this.bool(value !== undefined);
    if (value !== undefined) this.u64(value);
  }

  /** UTF-8 with a u16 byte length; `undefined` is written as the empty string. */
  string(value: string | undefined): void {
    const text = value ?? '';
    this.ensure(2 + text.length * 3);
    const written = this.buffer.write(text, this.position + 2, 'utf8');
    if (written > MAX_U16) throw new RangeError(`string of ${written} bytes exceeds the ${MAX_U16}-byte limit: ${text.slice(0, 40)}...`);
    this.buffer.writeUInt16BE(written, this.position);
    this.position += 2 + written;
  }

  /** Raw bytes with a u32 length. */
  bytes(value: Uint8Array): void {
    this.u32(value.length);
    this.raw(value);
  }

  raw(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
  }

  stringList(values: readonly string[] | undefined): void {
    const list = values ?? [];
    this.u16(list.length);
    for (const value of list) this.string(value);
  }

  stringMap(map: Readonly<Record<string, string>> | undefined): void {
    if (!map) {
      this.u16(0);
      return;
    }
    const countAt = this.position;
    this.u16(0);
    let count = 0;
    for (const key in map) {
      this.string(key);
      this.string(map[key]);
      count++;
    }
    this.buffer.writeUInt16BE(count, countAt);
  }

  patchU32(at: number, value: number): void {
    this.buffer.writeUInt32BE(value, at);
  }

  patchU16(at: number, value: number): void {
    this.buffer.writeUInt16BE(value, at);
  }

  /** The bytes written so far (a view; the writer must not be used afterwards). */
  finish(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  private ensure(extra: number): void {
    const needed = this.position + extra;
    if (needed <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = Buffer.allocUnsafe(capacity);
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }
}
