import type { BodyCodec } from './body-codec';
import { ByteWriter } from './byte-writer';

/** A body on its own, without a frame (fixtures, compression). */
export function encodeBody<T>(codec: BodyCodec<T>, value: T, sizeHint = 256): Buffer {
  const writer = new ByteWriter(sizeHint);
  codec.encode(writer, value);
  return writer.finish();
}
