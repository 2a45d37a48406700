import type { FrameHeader } from './frame-header';

/** A decoded frame: its header and its (still encoded, maybe compressed) body. */
export interface Frame {
  header: FrameHeader;
  body: Buffer;
}
