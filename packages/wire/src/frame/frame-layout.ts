/** Byte layout constants of a frame: | total length u32 | header length u32 | header | body |. */
export const FrameLayout = {
  PROTOCOL_VERSION: 1,
  /** The total length field counts every byte after itself: header length field + header + body. */
  TOTAL_LENGTH_BYTES: 4,
  HEADER_LENGTH_BYTES: 4,
  /** version + flags + code + requestId + status + message length. */
  FIXED_HEADER_BYTES: 12,
  FLAG_RESPONSE: 0b0001,
  FLAG_ONEWAY: 0b0010,
  COMPRESSION_SHIFT: 2,
  COMPRESSION_MASK: 0b1100,
  DEFAULT_MAX_FRAME_BYTES: 16 * 1024 * 1024,
} as const;
