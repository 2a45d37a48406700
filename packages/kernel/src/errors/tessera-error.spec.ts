import { ErrorCode } from './error-code';
import { TesseraError } from './tessera-error';

describe('TesseraError.is', () => {
  it('recognises its own errors, by code when given', () => {
    const error = new TesseraError(ErrorCode.TOPIC_NOT_FOUND, 'topic "t" does not exist');
    expect(TesseraError.is(error)).toBe(true);
    expect(TesseraError.is(error, ErrorCode.TOPIC_NOT_FOUND)).toBe(true);
    expect(TesseraError.is(error, ErrorCode.NO_PERMISSION)).toBe(false);
  });

  it('recognises one thrown by another copy of the kernel, and nothing else', () => {
    class OtherCopy extends Error {
      override name = 'TesseraError';
      constructor(readonly code: number) {
        super('from another copy');
      }
    }
    expect(TesseraError.is(new OtherCopy(ErrorCode.STORE_FULL), ErrorCode.STORE_FULL)).toBe(true);
    expect(TesseraError.is(new Error('plain'))).toBe(false);
    expect(TesseraError.is({ name: 'TesseraError', code: 1 })).toBe(false);
    expect(TesseraError.is(undefined)).toBe(false);
  });
});
