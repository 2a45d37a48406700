/** Bytes that do not follow the native protocol: a bad frame, header or body. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireFormatError';
  }
}
