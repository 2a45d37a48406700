import {
  CompressionCodec,
  getRouteRequestCodec,
  getRouteResponseCodec,
  RequestCode,
  sendBatchRequestCodec,
  sendBatchResponseCodec,
  wireMessageCodec,
  type GetRouteResponse,
  type WireMessage,
} from '@tessera/wire';
import { BrokerConnection } from '../connection/broker-connection';
import type { RequestOptions } from '../connection/request-options';
import { isRetriableError } from '../errors/is-retriable-error';
import { NoPermissionError } from '../errors/no-permission-error';
import { TesseraClientError } from '../errors/tessera-client-error';
import { TopicNotFoundError } from '../errors/topic-not-found-error';
import type { Message } from '../message/message';
import type { SendResult } from '../message/send-result';
import { toWireMessage } from '../message/to-wire-message';
import type { QueueSelector } from '../selector/queue-selector';
import { roundRobinSelector } from '../selector/round-robin-selector';
import type { ProducerOptions } from './producer-options';

const DEFAULT_SERVER = '127.0.0.1:10911';
const ROUTE_TTL_MS = 30_000;
const CODECS = { none: CompressionCodec.NONE, zstd: CompressionCodec.ZSTD, lz4: CompressionCodec.LZ4 } as const;

/** An auto-batch ships early once it holds this many messages or (estimated) bytes. */
const MAX_AUTO_BATCH_MESSAGES = 1024;
const MAX_AUTO_BATCH_BYTES = 1024 * 1024;

interface CachedRoute {
  route: GetRouteResponse | undefined;
  fetchedAt: number;
}

interface QueuedSend {
  message: Message;
  resolve(result: SendResult): void;
  reject(error: unknown): void;
}

interface AutoBatch {
  topic: string;
  queueId: number;
  sends: QueuedSend[];
  bytes: number;
}

/**
 * Sends messages over one pipelined connection. A send picks a queue from the topic's route
 * (fetched and cached; an unknown topic is sent without a queue so the broker may auto-create
 * it) and retries retriable failures on another queue.
 *
 * Auto-batching (on unless `autoBatch: false`): single sends to the same topic and queue made in
 * the same tick leave as one request when the tick ends, in call order, with no added wait (like
 * Kafka's linger.ms=0). Each send still gets its own result; a batch the broker refuses for a
 * reason that may concern only some of its messages is re-sent message by message, so each send
 * gets its own error.
 */
export class Producer {
  private readonly connection: BrokerConnection;
  private readonly selector: QueueSelector;
  private readonly retries: number;
  private readonly requestOptions: RequestOptions;
  private readonly routes = new Map<string, CachedRoute>();
  private readonly autoBatch: boolean;
  private readonly autoBatches = new Map<string, AutoBatch>();
  private autoBatchFlushScheduled = false;

  constructor(private readonly options: ProducerOptions = {}) {
    this.connection = new BrokerConnection({ server: options.server ?? DEFAULT_SERVER, requestTimeoutMs: options.sendTimeoutMs ?? 3000 });
    this.selector = options.queueSelector ?? roundRobinSelector();
    this.retries = options.retries ?? 2;
    this.autoBatch = options.autoBatch ?? true;
    const codec = CODECS[options.compression?.codec ?? 'none'];
    if (codec === undefined) throw new TesseraClientError('BAD_ARGUMENT', `unknown compression codec ${JSON.stringify(options.compression?.codec)}`);
    this.requestOptions = codec === CompressionCodec.NONE ? {} : { compression: { codec, thresholdBytes: options.compression?.thresholdBytes ?? 4096 } };
  }

  start(): Promise<void> {
    return this.connection.open();
  }

  shutdown(): Promise<void> {
    return this.connection.close();
  }

  send(message: Message, options: { queueSelector?: QueueSelector; shardingKey?: string } = {}): Promise<SendResult> {
    const select = (count: number) => (options.queueSelector ?? this.selector)(count, message, options.shardingKey);
    if (!this.autoBatch) return this.sendAlone(message, select);
    try {
      // A cached route is used at once (no await), so a send joins its batch in the caller's tick.
      const cached = this.cachedRoute(message.topic);
      if (cached) return this.sendAutoBatched(message, cached.route, select);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.routeOf(message.topic).then((route) => this.sendAutoBatched(message, route, select));
  }

  private sendAutoBatched(message: Message, route: GetRouteResponse | undefined, select: (queueCount: number) => number): Promise<SendResult> {
    // An unknown topic goes alone: the broker may create it, and the route then is fetched anew.
    if (!route) return this.sendAlone(message, select);
    const queueId = message.queueId ?? select(route.writeQueueCount);
    return new Promise<SendResult>((resolve, reject) => this.enqueue(message, queueId, { message, resolve, reject }));
  }

  private async sendAlone(message: Message, select: (queueCount: number) => number): Promise<SendResult> {
    const [result] = await this.sendToQueue([message], message.topic, message.queueId, select);
    return result!;
  }

  /** Writes the message and resolves once the socket took it; the broker sends no answer. */
  sendOneway(message: Message): Promise<void> {
    return this.connection.sendOneway(
      RequestCode.SEND_BATCH,
      sendBatchRequestCodec,
      { producerGroup: this.options.producerGroup, topic: message.topic, messages: [toWireMessage(message, message.queueId, Date.now())] },
      { ...this.requestOptions, sizeHint: estimateBytes([message]) },
    );
  }

  /** Sends messages of one topic in one frame, to one queue (`queueId`, or one the selector picks). */
  async sendBatch(messages: Message[], options: { queueId?: number; queueSelector?: QueueSelector } = {}): Promise<SendResult[]> {
    if (messages.length === 0) return [];
    const topic = messages[0]!.topic;
    const other = messages.find((m) => m.topic !== topic);
    if (other) throw new TesseraClientError('BAD_ARGUMENT', `a batch holds one topic: got "${topic}" and "${other.topic}"`);
    return this.sendToQueue(messages, topic, options.queueId, (count) => (options.queueSelector ?? this.selector)(count, messages[0]!));
  }

  private enqueue(message: Message, queueId: number, send: QueuedSend): void {
    const key = `${queueId}:${message.topic}`;
    const bytes = estimateBytes([message]);
    let batch = this.autoBatches.get(key);
    if (batch && (batch.sends.length >= MAX_AUTO_BATCH_MESSAGES || batch.bytes + bytes > MAX_AUTO_BATCH_BYTES)) {
      this.autoBatches.delete(key);
      this.ship(batch);
      batch = undefined;
    }
    if (!batch) {
      batch = { topic: message.topic, queueId, sends: [], bytes: 0 };
      this.autoBatches.set(key, batch);
    }
    batch.sends.push(send);
    batch.bytes += bytes;
    if (!this.autoBatchFlushScheduled) {
      this.autoBatchFlushScheduled = true;
      // After the microtasks of this tick, so every send made in it has joined its batch.
      process.nextTick(() => this.flushAutoBatches());
    }
  }

  private flushAutoBatches(): void {
    this.autoBatchFlushScheduled = false;
    const batches = [...this.autoBatches.values()];
    this.autoBatches.clear();
    for (const batch of batches) this.ship(batch);
  }

  private ship({ topic, queueId, sends }: AutoBatch): void {
    // No fixed queue: a retry moves the messages that have no queue of their own to the next one, as for a single send.
    const send = (group: QueuedSend[]) => this.sendToQueue(group.map((s) => s.message), topic, undefined, () => queueId);
    send(sends).then(
      (results) => sends.forEach((s, i) => s.resolve(results[i]!)),
      (error: unknown) => {
        if (sends.length === 1 || isRetriableError(error) || error instanceof TopicNotFoundError || error instanceof NoPermissionError) {
          for (const s of sends) s.reject(error);
          return;
        }
        for (const s of sends) send([s]).then(([result]) => s.resolve(result!), s.reject);
      },
    );
  }

  private async sendToQueue(
    messages: Message[],
    topic: string,
    fixedQueueId: number | undefined,
    select: (queueCount: number) => number,
  ): Promise<SendResult[]> {
    let route = await this.routeOf(topic);
    let queueId = fixedQueueId ?? (route ? select(route.writeQueueCount) : undefined);
    const bornTimestamp = Date.now();
    const wireMessages: WireMessage[] = messages.map((m) => toWireMessage(m, m.queueId ?? queueId, bornTimestamp));
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.connection.request(
          RequestCode.SEND_BATCH,
          sendBatchRequestCodec,
          { producerGroup: this.options.producerGroup, topic, messages: wireMessages },
          sendBatchResponseCodec,
          { ...this.requestOptions, sizeHint: estimateBytes(messages) },
        );
        if (!route) this.routes.delete(topic);
        return response.results.map((r) => ({ msgId: r.msgId, topic, queueId: r.queueId, queueOffset: r.queueOffset }));
      } catch (error) {
        if (error instanceof TopicNotFoundError) this.routes.delete(topic);
        if (attempt >= this.retries || !isRetriableError(error)) throw error;
        route ??= await this.routeOf(topic).catch(() => undefined);
        if (fixedQueueId === undefined && route && queueId !== undefined) {
          queueId = (queueId + 1) % route.writeQueueCount;
          for (let i = 0; i < wireMessages.length; i++) if (messages[i]!.queueId === undefined) wireMessages[i]!.queueId = queueId;
        }
      }
    }
  }

  private cachedRoute(topic: string): CachedRoute | undefined {
    const cached = this.routes.get(topic);
    return cached && Date.now() - cached.fetchedAt < ROUTE_TTL_MS ? cached : undefined;
  }

  private async routeOf(topic: string): Promise<GetRouteResponse | undefined> {
    const cached = this.cachedRoute(topic);
    if (cached) return cached.route;
    try {
      const route = await this.connection.request(RequestCode.GET_ROUTE, getRouteRequestCodec, { topic }, getRouteResponseCodec);
      this.routes.set(topic, { route, fetchedAt: Date.now() });
      return route;
    } catch (error) {
      if (!(error instanceof TopicNotFoundError)) throw error;
      this.routes.set(topic, { route: undefined, fetchedAt: Date.now() });
      return undefined;
    }
  }
}

function estimateBytes(messages: readonly Message[]): number {
  let total = 64;
  for (const m of messages) total += wireMessageCodec.FIXED_BYTES + 64 + (typeof m.body === 'string' ? m.body.length * 3 : m.body.length);
  return total;
}
