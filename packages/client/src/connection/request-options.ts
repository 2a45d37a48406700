import type { CompressionCodec } from '@tessera/wire';

export interface RequestOptions {
  /** Overrides the connection's request timeout (long polls add their hold time). */
  timeoutMs?: number;
  /** Compress the body with this codec when the encoded frame is larger than `thresholdBytes`. */
  compression?: { codec: CompressionCodec; thresholdBytes: number };
  /** Expected body size, so the frame is encoded into one allocation. */
  sizeHint?: number;
}
