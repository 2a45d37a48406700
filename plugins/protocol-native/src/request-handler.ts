import type { BodyCodec, RequestCode } from '@tessera/wire';
import type { RequestContext } from './request-context';

/** Serves one request code: decodes with `requestCodec`, answers with `responseCodec`. */
export interface RequestHandler<Request = unknown, Response = unknown> {
  readonly code: RequestCode;
  readonly requestCodec: BodyCodec<Request>;
  readonly responseCodec: BodyCodec<Response>;
  handle(request: Request, context: RequestContext): Promise<Response>;
  /** Bytes the encoded response will take, roughly, so it is written into one allocation. */
  estimateResponseBytes?(response: Response): number;
}
