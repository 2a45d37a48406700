import { decodeFrameHeader } from './decode-frame-header';
import type { Frame } from './frame';
import { FrameLayout } from './frame-layout';
import { FrameTooLargeError } from './frame-too-large-error';
import { WireFormatError } from './wire-format-error';

const MIN_TOTAL_LENGTH = FrameLayout.HEADER_LENGTH_BYTES + FrameLayout.FIXED_HEADER_BYTES;

/**
 * Cuts a TCP byte stream into frames. A frame lying whole inside one chunk is returned as views
 * of that chunk (no copy); a frame split across chunks is assembled into one buffer of exactly
 * its size, allocated once its length is known and refused above `maxFrameBytes`. After a
 * WireFormatError the stream cannot be resynchronised: close the connection.
 */
export class FrameDecoder {
  private readonly lengthPrefix = Buffer.alloc(FrameLayout.TOTAL_LENGTH_BYTES);
  private lengthPrefixFilled = 0;
  private partial: Buffer | undefined;
  private partialFilled = 0;

  /** `maxFrameBytes` bounds a whole frame, length fields included. */
  constructor(private readonly maxFrameBytes: number = FrameLayout.DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes held for a frame not yet complete. */
  get bufferedBytes(): number {
    return this.partial ? this.partialFilled : this.lengthPrefixFilled;
  }

  /** Hands every complete frame in `chunk` to `onFrame`, in order, and keeps the incomplete tail. */
  push(chunk: Buffer, onFrame: (frame: Frame) => void): void {
    let offset = this.completePending(chunk, onFrame);
    while (offset < chunk.length) {
      const available = chunk.length - offset;
      if (available < FrameLayout.TOTAL_LENGTH_BYTES) {
        chunk.copy(this.lengthPrefix, 0, offset);
        this.lengthPrefixFilled = available;
        return;
      }
      const frameBytes = this.checkedFrameBytes(chunk.readUInt32BE(offset));
      if (available < frameBytes) {
        this.partial = Buffer.allocUnsafe(frameBytes);
        this.partialFilled = chunk.copy(this.partial, 0, offset);
        return;
      }
      onFrame(parseFrame(chunk, offset, offset + frameBytes));
      offset += frameBytes;
    }
  }

  private completePending(chunk: Buffer, onFrame: (frame: Frame) => void): number {
    let offset = 0;
    if (this.lengthPrefixFilled > 0) {
      const copied = chunk.copy(this.lengthPrefix, this.lengthPrefixFilled, 0, FrameLayout.TOTAL_LENGTH_BYTES - this.lengthPrefixFilled);
      this.lengthPrefixFilled += copied;
      offset = copied;
      if (this.lengthPrefixFilled < FrameLayout.TOTAL_LENGTH_BYTES) return offset;
      this.partial = Buffer.allocUnsafe(this.checkedFrameBytes(this.lengthPrefix.readUInt32BE(0)));
      this.lengthPrefix.copy(this.partial);
      this.partialFilled = FrameLayout.TOTAL_LENGTH_BYTES;
      this.lengthPrefixFilled = 0;
    }
    const partial = this.partial;
    if (!partial) return offset;
    const copied = chunk.copy(partial, this.partialFilled, offset, offset + partial.length - this.partialFilled);
    this.partialFilled += copied;
    offset += copied;
    if (this.partialFilled === partial.length) {
      this.partial = undefined;
      this.partialFilled = 0;
      onFrame(parseFrame(partial, 0, partial.length));
    }
    return offset;
  }

  private checkedFrameBytes(totalLength: number): number {
    if (totalLength < MIN_TOTAL_LENGTH) {
      throw new WireFormatError(`frame total length ${totalLength} is below the ${MIN_TOTAL_LENGTH}-byte minimum`);
    }
    const frameBytes = FrameLayout.TOTAL_LENGTH_BYTES + totalLength;
    if (frameBytes > this.maxFrameBytes) {
      throw new FrameTooLargeError(frameBytes, this.maxFrameBytes);
    }
    return frameBytes;
  }
}

function parseFrame(buffer: Buffer, start: number, end: number): Frame {
  const headerLength = buffer.readUInt32BE(start + FrameLayout.TOTAL_LENGTH_BYTES);
  const headerStart = start + FrameLayout.TOTAL_LENGTH_BYTES + FrameLayout.HEADER_LENGTH_BYTES;
  if (headerStart + headerLength > end) {
    throw new WireFormatError(`header length ${headerLength} overruns its ${end - start}-byte frame`);
  }
  return {
    header: decodeFrameHeader(buffer, headerStart, headerLength),
    body: buffer.subarray(headerStart + headerLength, end),
  };
}
