import { ErrorCode, TesseraError } from '@tessera/kernel';
import { ResponseCode, WireFormatError } from '@tessera/wire';
import { errorResponse } from './error-response';

describe('errorResponse', () => {
  it('keeps a kernel error code and message', () => {
    expect(errorResponse(new TesseraError(ErrorCode.NO_PERMISSION, 'topic "t" is not writable'))).toEqual({
      status: ResponseCode.NO_PERMISSION,
      message: 'topic "t" is not writable',
      unexpected: false,
    });
  });

  it('recognises a TesseraError from another copy of the kernel by its shape', () => {
    const foreign = Object.assign(new Error('gone'), { name: 'TesseraError', code: ErrorCode.TOPIC_NOT_FOUND });
    expect(errorResponse(foreign).status).toBe(ResponseCode.TOPIC_NOT_FOUND);
  });

  it('answers malformed bodies with BAD_REQUEST and anything else with SYSTEM_ERROR', () => {
    expect(errorResponse(new WireFormatError('truncated')).status).toBe(ResponseCode.BAD_REQUEST);
    expect(errorResponse(new TypeError('x is undefined'))).toEqual({ status: ResponseCode.SYSTEM_ERROR, message: 'internal error: x is undefined', unexpected: true });
  });
});
