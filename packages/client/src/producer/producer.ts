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

interface CachedRoute {
  route: GetRouteResponse | undefined;
  fetchedAt: number;
}

/**
 * Sends messages over one pipelined connection. A send picks a queue from the topic's route
 * (fetched and cached; an unknown topic is sent without a queue so the broker may auto-create
 * it) and retries retriable failures on another queue.
 */
export class Producer {
  private readonly connection: BrokerConnection;
  private readonly selector: QueueSelector;
  private readonly retries: number;
  private readonly requestOptions: RequestOptions;
  private readonly routes = new Map<string, CachedRoute>();

  constructor(private readonly options: ProducerOptions = {}) {
    this.connection = new BrokerConnection({ server: options.server ?? DEFAULT_SERVER, requestTimeoutMs: options.sendTimeoutMs ?? 3000 });
    this.selector = options.queueSelector ?? roundRobinSelector();
    this.retries = options.retries ?? 2;
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

  async send(message: Message, options: { queueSelector?: QueueSelector; shardingKey?: string } = {}): Promise<SendResult> {
    const [result] = await this.sendToQueue([message], message.topic, message.queueId, (count) =>
      (options.queueSelector ?? this.selector)(count, message, options.shardingKey),
    );
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

  private async routeOf(topic: string): Promise<GetRouteResponse | undefined> {
    const cached = this.routes.get(topic);
    if (cached && Date.now() - cached.fetchedAt < ROUTE_TTL_MS) return cached.route;
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
