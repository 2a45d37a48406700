import { connect, type Socket } from 'node:net';
import {
  compressFrame,
  CompressionCodec,
  decodeBody,
  decompressFrameBody,
  encodeFrame,
  FrameDecoder,
  FrameLayout,
  type BodyCodec,
  type Frame,
  type RequestCode,
} from '@tessera/wire';
import { brokerErrorFor } from '../errors/broker-error-for';
import { ConnectionError } from '../errors/connection-error';
import { RequestTimeoutError } from '../errors/request-timeout-error';
import { parseServerAddress, type ServerAddress } from './parse-server-address';
import type { RequestOptions } from './request-options';

export interface BrokerConnectionOptions {
  server: string;
  requestTimeoutMs: number;
  connectTimeoutMs?: number;
  maxFrameBytes?: number;
}

interface Pending {
  code: RequestCode;
  deadline: number;
  timeoutMs: number;
  settle(frame: Frame): void;
  fail(error: Error): void;
}

const MIN_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 5000;
const MAX_REQUEST_ID = 0xffff_ffff;

/**
 * One TCP connection to a broker, shared by every request of a client and pipelined: requests
 * are written without waiting for earlier answers and matched back by request id. Frames
 * written in the same tick leave in one corked write. After the connection drops, in-flight
 * requests fail with ConnectionError and the next request reconnects, backing off after failures.
 * Request timeouts share one timer, armed for the earliest deadline, rather than one per request.
 */
export class BrokerConnection {
  private readonly address: ServerAddress;
  private readonly pending = new Map<number, Pending>();
  private socket: Socket | undefined;
  private connecting: Promise<Socket> | undefined;
  private nextRequestId = 1;
  private corked = false;
  private closed = false;
  private failedAttempts = 0;
  private nextAttemptAt = 0;
  private lastBrokerNotice: string | undefined;
  private timeoutTimer: NodeJS.Timeout | undefined;
  private timeoutTimerAt = Number.POSITIVE_INFINITY;

  constructor(private readonly options: BrokerConnectionOptions) {
    this.address = parseServerAddress(options.server);
  }

  get server(): string {
    return this.options.server;
  }

  get connected(): boolean {
    return this.socket !== undefined;
  }

  async open(): Promise<void> {
    this.closed = false;
    await this.ensureSocket();
  }

  /** Fails in-flight requests and closes the socket; later requests are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const socket = this.socket;
    this.failAll(new ConnectionError('the client was shut down'));
    if (!socket) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref();
    });
  }

  request<Req, Res>(
    code: RequestCode,
    requestCodec: BodyCodec<Req>,
    request: Req,
    responseCodec: BodyCodec<Res>,
    options: RequestOptions = {},
  ): Promise<Res> {
    const timeoutMs = options.timeoutMs ?? this.options.requestTimeoutMs;
    const deadline = Date.now() + timeoutMs;
    // The hot path (connected) writes in the caller's tick, without an await.
    if (this.socket && !this.closed) return this.requestOn(this.socket, code, requestCodec, request, responseCodec, options, timeoutMs, deadline);
    return this.ensureSocket(deadline).then((socket) => this.requestOn(socket, code, requestCodec, request, responseCodec, options, timeoutMs, deadline));
  }

  private requestOn<Req, Res>(
    socket: Socket,
    code: RequestCode,
    requestCodec: BodyCodec<Req>,
    request: Req,
    responseCodec: BodyCodec<Res>,
    options: RequestOptions,
    timeoutMs: number,
    deadline: number,
  ): Promise<Res> {
    const requestId = this.allocateRequestId();
    let frame: Buffer;
    try {
      frame = this.encode(code, requestId, false, requestCodec, request, options);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<Res>((resolve, reject) => {
      this.pending.set(requestId, {
        code,
        deadline,
        timeoutMs,
        fail: reject,
        settle: (response) => {
          try {
            if (response.header.status !== 0) throw brokerErrorFor(response.header.status, response.header.message);
            resolve(decodeBody(responseCodec, decompressFrameBody(response, this.options.maxFrameBytes ?? FrameLayout.DEFAULT_MAX_FRAME_BYTES)));
          } catch (error) {
            reject(error);
          }
        },
      });
      this.armTimeoutTimer(deadline);
      this.write(socket, frame);
    });
  }

  private armTimeoutTimer(deadline: number): void {
    if (deadline >= this.timeoutTimerAt) return;
    clearTimeout(this.timeoutTimer);
    this.timeoutTimerAt = deadline;
    // Unref'd: a pending request already keeps the process alive through its socket.
    this.timeoutTimer = setTimeout(() => this.expireRequests(), Math.max(1, deadline - Date.now())).unref();
  }

  private expireRequests(): void {
    this.timeoutTimer = undefined;
    this.timeoutTimerAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [requestId, pending] of this.pending) {
      if (pending.deadline > now) {
        next = Math.min(next, pending.deadline);
        continue;
      }
      this.pending.delete(requestId);
      pending.fail(
        new RequestTimeoutError(`no answer to request ${requestId} (code ${pending.code}) from ${this.options.server} within ${pending.timeoutMs} ms`),
      );
    }
    if (next !== Number.POSITIVE_INFINITY) this.armTimeoutTimer(next);
  }

  /** Writes a request the broker will not answer; resolves once the socket took it. */
  async sendOneway<Req>(code: RequestCode, requestCodec: BodyCodec<Req>, request: Req, options: RequestOptions = {}): Promise<void> {
    const socket = await this.ensureSocket(Date.now() + (options.timeoutMs ?? this.options.requestTimeoutMs));
    const frame = this.encode(code, this.allocateRequestId(), true, requestCodec, request, options);
    await new Promise<void>((resolve, reject) => {
      this.write(socket, frame, (error) => (error ? reject(new ConnectionError(`one-way write failed: ${error.message}`)) : resolve()));
    });
  }

  private encode<Req>(code: RequestCode, requestId: number, oneway: boolean, codec: BodyCodec<Req>, request: Req, options: RequestOptions): Buffer {
    const frame = encodeFrame({ code, requestId, oneway }, codec, request, options.sizeHint);
    const compression = options.compression;
    if (!compression || compression.codec === CompressionCodec.NONE || frame.length <= compression.thresholdBytes) return frame;
    return compressFrame(frame, compression.codec);
  }

  private write(socket: Socket, frame: Buffer, callback?: (error?: Error | null) => void): void {
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    socket.write(frame, callback);
  }

  private allocateRequestId(): number {
    const id = this.nextRequestId;
    this.nextRequestId = id === MAX_REQUEST_ID ? 1 : id + 1;
    return id;
  }

  private ensureSocket(deadline = Date.now() + this.options.requestTimeoutMs): Promise<Socket> {
    if (this.closed) return Promise.reject(new ConnectionError('the client is shut down; call start() first'));
    if (this.socket) return Promise.resolve(this.socket);
    this.connecting ??= this.connectWithBackoff(deadline).finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connectWithBackoff(deadline: number): Promise<Socket> {
    const wait = this.nextAttemptAt - Date.now();
    if (wait > 0) {
      if (Date.now() + wait > deadline) {
        throw new ConnectionError(`cannot reach ${this.options.server}: ${this.failedAttempts} failed attempt(s), next retry in ${wait} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    try {
      const socket = await this.connectOnce(Math.max(1, Math.min(deadline - Date.now(), this.options.connectTimeoutMs ?? 3000)));
      this.failedAttempts = 0;
      this.nextAttemptAt = 0;
      return socket;
    } catch (error) {
      this.failedAttempts++;
      this.nextAttemptAt = Date.now() + Math.min(MAX_BACKOFF_MS, MIN_BACKOFF_MS * 2 ** (this.failedAttempts - 1));
      throw error;
    }
  }

  private connectOnce(timeoutMs: number): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: this.address.host, port: this.address.port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new ConnectionError(`connecting to ${this.options.server} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(new ConnectionError(`cannot connect to ${this.options.server}: ${error.message}`));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        if (this.closed) {
          socket.destroy();
          reject(new ConnectionError('the client was shut down while connecting'));
          return;
        }
        this.attach(socket);
        resolve(socket);
      });
    });
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    this.lastBrokerNotice = undefined;
    const decoder = new FrameDecoder(this.options.maxFrameBytes ?? FrameLayout.DEFAULT_MAX_FRAME_BYTES);
    socket.on('data', (chunk: Buffer) => {
      try {
        decoder.push(chunk, (frame) => this.onFrame(frame));
      } catch (error) {
        socket.destroy(new ConnectionError(`the broker sent bytes this client cannot read: ${(error as Error).message}`));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      const notice = this.lastBrokerNotice ? `: ${this.lastBrokerNotice}` : '';
      this.failAll(new ConnectionError(`the connection to ${this.options.server} closed${notice}`));
    });
  }

  private onFrame(frame: Frame): void {
    const pending = this.pending.get(frame.header.requestId);
    if (!pending) {
      // Request id 0 carries connection-level complaints (a framing error) before the broker closes.
      if (frame.header.requestId === 0 && frame.header.status !== 0) this.lastBrokerNotice = frame.header.message;
      return;
    }
    this.pending.delete(frame.header.requestId);
    pending.settle(frame);
  }

  private failAll(error: Error): void {
    clearTimeout(this.timeoutTimer);
    this.timeoutTimer = undefined;
    this.timeoutTimerAt = Number.POSITIVE_INFINITY;
    for (const [id, pending] of this.pending) {
      this.pending.delete(id);
      pending.fail(error);
    }
  }
}
