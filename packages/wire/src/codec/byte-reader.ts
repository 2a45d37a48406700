import { WireFormatError } from '../frame/wire-format-error';

const TWO_POW_32 = 0x1_0000_0000;
const MAX_SAFE_HIGH_WORD = 0x1f_ffff;

/** Reads big-endian fields with bounds checks; byte fields come back as views, not copies. */
export class ByteReader {
  private position: number;

  constructor(
    private readonly buffer: Buffer,
    offset = 0,
    private readonly end = buffer.length,
  ) {
    this.position = offset;
  }

  get remaining(): number {
    return this.end - this.position;
  }

  u8(): number {
    this.need(1);
    return this.buffer[this.position++]!;
  }

  bool(): boolean {
    return this.u8() !== 0;
  }

  u16(): number {
    this.need(2);
    const value = this.buffer.readUInt16BE(this.position);
    this.position += 2;
    return value;
  }

  u32(): number {
    this.need(4);
    const value = this.buffer.readUInt32BE(this.position);
    this.position += 4;
    return value;
  }

  i32(): number {
    this.need(4);
    const value = this.buffer.readInt32BE(this.position);
    this.position += 4;
    return value;
  }

  u64(): number {
    this.need(8);
    const high = this.buffer.readUInt32BE(this.position);
    if (high > MAX_SAFE_HIGH_WORD) throw new WireFormatError(`64-bit value at byte ${this.position} exceeds 2^53`);
    const value = high * TWO_POW_32 + this.buffer.readUInt32BE(this.position + 4);
    this.position += 8;
    return value;
  }

  optionalU64(): number | undefined {
    return this.bool() ? this.u64() : undefined;
  }

  string(): string {
    const length = this.u16();
    this.need(length);
    const value = this.buffer.toString('utf8', this.position, this.position + length);
    this.position += length;
    return value;
  }

  /** The empty string reads as `undefined` (the writer's encoding of an absent string). */
  optionalString(): string | undefined {
    const value = this.string();
    return value === '' ? undefined : value;
  }

  bytes(): Buffer {
    const length = this.u32();
    return this.raw(length);
  }

  raw(length: number): Buffer {
    this.need(length);
    const view = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return view;
  }

  stringList(): string[] {
    const count = this.u16();
    const values: string[] = new Array(count);
    for (let i = 0; i < count; i++) values[i] = this.string();
    return values;
  }

  stringMap(): Record<string, string> {
    const count = this.u16();
    const map: Record<string, string> = {};
    for (let i = 0; i < count; i++) {
      const key = this.string();
      map[key] = this.string();
    }
    return map;
  }

  /** A count field, refused when the remaining bytes cannot hold that many items. */
  count(minItemBytes: number): number {
    const count = this.u32();
    if (count * minItemBytes > this.remaining) {
      throw new WireFormatError(`count ${count} cannot fit in the ${this.remaining} bytes left`);
    }
    return count;
  }

  expectEnd(): void {
    if (this.position !== this.end) throw new WireFormatError(`${this.end - this.position} unexpected trailing bytes`);
  }

  private need(length: number): void {
    if (this.position + length > this.end) {
      throw new WireFormatError(`truncated: need ${length} bytes at byte ${this.position}, ${this.end - this.position} left`);
    }
  }
}
