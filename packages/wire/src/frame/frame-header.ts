import type { CompressionCodec } from './compression-codec';

/**
 * A frame's header. On the wire (big-endian): version u8 | flags u8 | code u16 | requestId u32 |
 * status u16 | message length u16 | message UTF-8. Flags: bit 0 response, bit 1 one-way,
 * bits 2-3 body compression.
 */
export interface FrameHeader {
  /** The request code; a response echoes its request's code. */
  code: number;
  requestId: number;
  response: boolean;
  oneway: boolean;
  compression: CompressionCodec;
  /** ResponseCode of a response; 0 in requests. */
  status: number;
  /** What went wrong, for error responses; empty otherwise. */
  message: string;
}
