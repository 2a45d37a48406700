const MAX_INTERNED_BYTES = 32;
const MAX_INTERNED = 4096;

interface Interned {
  bytes: Buffer;
  text: string;
}

/**
 * Short texts that repeat from record to record (topics, tags, property names) decoded once and
 * shared: a hash and a byte compare cost less than a native UTF-8 decode, and readers stop
 * allocating the same strings for every message. Bounded: past MAX_INTERNED texts, new ones are
 * decoded plainly.
 */
export class InternedText {
  private readonly byHash = new Map<number, Interned>();

  decode(source: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    if (length > MAX_INTERNED_BYTES) return source.toString('utf8', start, end);
    let hash = length;
    for (let i = start; i < end; i++) hash = (Math.imul(hash, 31) + source[i]!) | 0;
    const cached = this.byHash.get(hash);
    if (cached && cached.bytes.length === length && sameBytes(cached.bytes, source, start)) return cached.text;
    const text = source.toString('utf8', start, end);
    if (!cached && this.byHash.size < MAX_INTERNED) this.byHash.set(hash, { bytes: Buffer.from(source.subarray(start, end)), text });
    return text;
  }
}

function sameBytes(bytes: Buffer, source: Buffer, start: number): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== source[start + i]) return false;
  return true;
}
