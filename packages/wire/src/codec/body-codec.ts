import type { ByteReader } from './byte-reader';
import type { ByteWriter } from './byte-writer';

/** How one request or response body is written and read. */
export interface BodyCodec<T> {
  encode(writer: ByteWriter, value: T): void;
  decode(reader: ByteReader): T;
}
