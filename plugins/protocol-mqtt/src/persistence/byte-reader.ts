import { ValueTag } from './mqtt-journal-format';

/** Reads what ByteWriter wrote, from `position` on; throws on bytes it cannot read. */
export class ByteReader {
  constructor(
    private readonly body: Buffer,
    public position = 0,
  ) {}

  get atEnd(): boolean {
    return this.position >= this.body.length;
  }

  byte(): number {
    if (this.position >= this.body.length) throw new Error('mqtt journal message ends in the middle of an op');
    return this.body[this.position++]!;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.byte();
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
    throw new Error('mqtt journal varint longer than 8 bytes');
  }

  string(): string {
    const end = this.end(this.varint());
    const value = this.body.toString('utf8', this.position, end);
    this.position = end;
    return value;
  }

  value(): unknown {
    const tag = this.byte();
    switch (tag) {
      case ValueTag.UNDEFINED:
        return undefined;
      case ValueTag.NULL:
        return null;
      case ValueTag.FALSE:
        return false;
      case ValueTag.TRUE:
        return true;
      case ValueTag.UINT:
        return this.varint();
      case ValueTag.FLOAT: {
        const end = this.end(8);
        const value = this.body.readDoubleLE(this.position);
        this.position = end;
        return value;
      }
      case ValueTag.STRING:
        return this.string();
      case ValueTag.BYTES: {
        const end = this.end(this.varint());
        // A copy, so a kept payload does not pin the whole journal message in memory.
        const value = Buffer.from(this.body.subarray(this.position, end));
        this.position = end;
        return value;
      }
      case ValueTag.ARRAY: {
        const items: unknown[] = new Array(this.varint());
        for (let i = 0; i < items.length; i++) items[i] = this.value();
        return items;
      }
      case ValueTag.OBJECT: {
        const count = this.varint();
        const object: Record<string, unknown> = {};
        for (let i = 0; i < count; i++) {
          const key = this.string();
          // Assigning "__proto__" would set the prototype instead of a field.
          Object.defineProperty(object, key, { value: this.value(), enumerable: true, writable: true, configurable: true });
        }
        return object;
      }
      default:
        throw new Error(`unknown mqtt journal value tag ${tag} at byte ${this.position - 1}`);
    }
  }

  private end(length: number): number {
    const end = this.position + length;
    if (end > this.body.length) throw new Error('mqtt journal message ends in the middle of a value');
    return end;
  }
}
