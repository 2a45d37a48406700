/** How a frame's body is compressed (header flag bits 2-3). */
export enum CompressionCodec {
  NONE = 0,
  ZSTD = 1,
  LZ4 = 2,
}
