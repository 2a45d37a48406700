import { WireFormatError } from './wire-format-error';

/** A frame announced itself larger than the decoder's maxFrameBytes: the stream is refused before any of it is buffered. */
export class FrameTooLargeError extends WireFormatError {
  constructor(
    readonly frameBytes: number,
    readonly maxFrameBytes: number,
  ) {
    super(`frame of ${frameBytes} bytes exceeds maxFrameBytes ${maxFrameBytes}`);
    this.name = 'FrameTooLargeError';
  }
}
