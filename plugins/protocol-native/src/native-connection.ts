import { setMaxListeners } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from '@tessera/kernel';
import {
  decodeBody,
  decompressFrameBody,
  emptyBodyCodec,
  encodeFrame,
  FrameDecoder,
  FrameTooLargeError,
  ResponseCode,
  WireFormatError,
  type Frame,
  type FrameHeader,
} from '@tessera/wire';
import { errorResponse } from './error-response';
import type { HandlerTable } from './handler-table';
import { BadInputReason, type NativeMetrics } from './native-metrics';
import type { NativeProtocolOptions } from './native-protocol-options';
import type { RequestContext } from './request-context';
import type { RequestHandler } from './request-handler';

/** Reading pauses while this much response data waits in the socket's buffer (a slow reader). */
const WRITE_BUFFER_LIMIT_BYTES = 8 * 1024 * 1024;
const CLOSE_GRACE_MS = 1000;

/**
 * One client's TCP connection: cuts frames, runs requests concurrently (pipelined), answers by
 * request id. Responses finished in the same tick leave in one corked write. Reading pauses
 * while too many requests are in flight or the client is not reading its responses.
 */
export class NativeConnection {
  private readonly decoder: FrameDecoder;
  private readonly aborter = new AbortController();
  private readonly remoteAddress: string;
  private readonly context: RequestContext;
  private inFlight = 0;
  private heldPulls = 0;
  private corked = false;
  private readingPaused = false;
  private waitingForDrain = false;
  private draining = false;
  private broken = false;
  private closed = false;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly socket: Socket,
    private readonly handlers: HandlerTable,
    private readonly options: NativeProtocolOptions,
    private readonly logger: Logger,
    private readonly metrics: NativeMetrics,
    onClose: (connection: NativeConnection) => void,
  ) {
    this.decoder = new FrameDecoder(options.maxFrameBytes);
    // Every held pull, receive or assignment sync listens for this connection's abort.
    setMaxListeners(options.maxHeldPullsPerConnection + 16, this.aborter.signal);
    this.remoteAddress = `${socket.remoteAddress}:${socket.remotePort}`;
    this.context = {
      remoteAddress: this.remoteAddress,
      signal: this.aborter.signal,
      tryHoldPull: () => {
        if (this.heldPulls >= this.options.maxHeldPullsPerConnection) return false;
        this.heldPulls++;
        return true;
      },
      releasePull: () => {
        this.heldPulls--;
      },
    };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => {
      this.waitingForDrain = false;
      this.updateReading();
    });
    socket.on('error', (error) => this.logger.debug({ err: error, client: this.remoteAddress }, 'native connection error'));
    socket.on('close', () => {
      this.closed = true;
      this.aborter.abort();
      onClose(this);
      this.notifyIfIdle();
    });
  }

  /** Stops reading, answers held pulls, waits for in-flight requests (until `deadline`), closes. */
  async drain(deadline: number): Promise<void> {
    this.draining = true;
    this.updateReading();
    this.aborter.abort();
    if (this.inFlight > 0 && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.close();
  }

  private close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.socket.destroy(), CLOSE_GRACE_MS);
      timer.unref();
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.end();
    });
  }

  private onData(chunk: Buffer): void {
    this.metrics.received(chunk.length);
    if (this.broken) return;
    try {
      this.decoder.push(chunk, (frame) => this.onFrame(frame));
    } catch (error) {
      this.failFraming(error);
    }
  }

  private onFrame(frame: Frame): void {
    const { header } = frame;
    if (header.response) throw new WireFormatError('clients must not send response frames');
    this.metrics.requestReceived(header.code);
    const handler = this.handlers.get(header.code);
    if (!handler) {
      if (!header.oneway) this.sendError(header, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `request code ${header.code} is not supported`);
      return;
    }
    this.inFlight++;
    this.updateReading();
    void this.serve(handler, frame);
  }

  private async serve(handler: RequestHandler, frame: Frame): Promise<void> {
    const { header } = frame;
    const startedAtMs = performance.now();
    try {
      const request = decodeBody(handler.requestCodec, decompressFrameBody(frame, this.options.maxFrameBytes));
      const response = await handler.handle(request, this.context);
      if (!header.oneway) {
        const sizeHint = handler.estimateResponseBytes?.(response);
        this.write(encodeFrame({ code: header.code, requestId: header.requestId, response: true }, handler.responseCodec, response, sizeHint));
      }
    } catch (error) {
      const mapped = errorResponse(error);
      if (mapped.unexpected) this.logger.error({ err: error, client: this.remoteAddress, code: header.code }, 'native request failed');
      if (!header.oneway) this.sendError(header, mapped.status, mapped.message);
    } finally {
      this.metrics.requestFinished(header.code, startedAtMs);
      this.inFlight--;
      this.updateReading();
      this.notifyIfIdle();
    }
  }

  private failFraming(error: unknown): void {
    this.broken = true;
    this.updateReading();
    this.metrics.closedForBadInput(error instanceof FrameTooLargeError ? BadInputReason.FRAME_TOO_LARGE : BadInputReason.MALFORMED_FRAME);
    const message = `protocol error, closing the connection: ${(error as Error).message}`;
    this.logger.warn({ client: this.remoteAddress }, message);
    this.sendError({ code: 0, requestId: 0 }, ResponseCode.BAD_REQUEST, message);
    void this.close();
  }

  private sendError(request: Pick<FrameHeader, 'code' | 'requestId'>, status: ResponseCode, message: string): void {
    const frame = encodeFrame({ code: request.code, requestId: request.requestId, response: true, status, message }, emptyBodyCodec, undefined);
    if (this.write(frame)) this.metrics.errorResponse(status);
  }

  /** False when the connection is past writing (the frame is dropped). */
  private write(frame: Buffer): boolean {
    if (this.closed || this.socket.destroyed || this.socket.writableEnded) return false;
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(frame);
    this.metrics.sent(frame.length);
    if (this.socket.writableLength > WRITE_BUFFER_LIMIT_BYTES) {
      this.waitingForDrain = true;
      this.updateReading();
    }
    return true;
  }

  private updateReading(): void {
    const pause =
      this.broken || this.draining || this.waitingForDrain || this.inFlight >= this.options.maxInFlightRequestsPerConnection;
    if (pause && !this.readingPaused) {
      this.readingPaused = true;
      this.socket.pause();
    } else if (!pause && this.readingPaused) {
      this.readingPaused = false;
      this.socket.resume();
    }
  }

  private notifyIfIdle(): void {
    if (this.inFlight > 0 && !this.closed) return;
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }
}
