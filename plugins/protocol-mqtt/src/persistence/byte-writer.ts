import { ValueTag } from './mqtt-journal-format';

const INITIAL_BYTES = 256;

/** Appends varints, strings and tagged values (see mqtt-journal-format.ts) to a growing buffer. */
export class ByteWriter {
  private buffer = Buffer.allocUnsafe(INITIAL_BYTES);
  private length = 0;

  get position(): number {
    return this.length;
  }

  /** The bytes written; the writer must not be used afterwards. */
  finish(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  truncate(position: number): void {
    this.length = Math.min(this.length, position);
  }

  byte(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value;
  }

  varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint needs a non-negative safe integer, got ${value}`);
    this.ensure(8);
    while (value >= 0x80) {
      this.buffer[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.length++] = value;
  }

  string(value: string): void {
    const bytes = Buffer.byteLength(value);
    this.varint(bytes);
    this.ensure(bytes);
    this.length += this.buffer.write(value, this.length, 'utf8');
  }

  value(value: unknown): void {
    if (value === undefined) return this.byte(ValueTag.UNDEFINED);
    if (value === null) return this.byte(ValueTag.NULL);
    if (value === false) return this.byte(ValueTag.FALSE);
    if (value === true) return this.byte(ValueTag.TRUE);
    if (typeof value === 'number') {
      if (Number.isSafeInteger(value) && value >= 0) {
        this.byte(ValueTag.UINT);
        return this.varint(value);
      }
      this.byte(ValueTag.FLOAT);
      this.ensure(8);
      this.length = this.buffer.writeDoubleLE(value, this.length);
      return;
    }
    if (typeof value === 'string') {
      this.byte(ValueTag.STRING);
      return this.string(value);
    }
    if (value instanceof Uint8Array) {
      this.byte(ValueTag.BYTES);
      this.varint(value.length);
      this.ensure(value.length);
      this.buffer.set(value, this.length);
      this.length += value.length;
      return;
    }
    if (Array.isArray(value)) {
      this.byte(ValueTag.ARRAY);
      this.varint(value.length);
      for (const item of value) this.value(item);
      return;
    }
    if (typeof value === 'object') {
      // aedes hangs callbacks on packets (QoSPacket.writeCallback); they are not data.
      const keys = Object.keys(value).filter((key) => typeof (value as Record<string, unknown>)[key] !== 'function');
      this.byte(ValueTag.OBJECT);
      this.varint(keys.length);
      for (const key of keys) {
        this.string(key);
        this.value((value as Record<string, unknown>)[key]);
      }
      return;
    }
    throw new TypeError(`cannot persist a value of type ${typeof value}`);
  }

  private ensure(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.length + bytes));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}
