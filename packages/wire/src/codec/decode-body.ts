import type { BodyCodec } from './body-codec';
import { ByteReader } from './byte-reader';

/** Decodes a whole body; trailing bytes are a format error. */
export function decodeBody<T>(codec: BodyCodec<T>, body: Buffer): T {
  const reader = new ByteReader(body);
  const value = codec.decode(reader);
  reader.expectEnd();
  return value;
}
