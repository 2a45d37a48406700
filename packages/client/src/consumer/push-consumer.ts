import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  commitOffsetRequestCodec,
  emptyBodyCodec,
  heartbeatRequestCodec,
  queryAssignmentRequestCodec,
  queryAssignmentResponseCodec,
  queryOffsetRequestCodec,
  queryOffsetResponseCodec,
  queueRangeRequestCodec,
  queueRangeResponseCodec,
  RequestCode,
  searchOffsetByTimeRequestCodec,
  searchOffsetByTimeResponseCodec,
  unregisterClientRequestCodec,
} from '@tessera/wire';
import { BrokerConnection } from '../connection/broker-connection';
import { TesseraClientError } from '../errors/tessera-client-error';
import type { PushConsumerOptions } from './push-consumer-options';
import { QueueConsumer } from './queue-consumer';

const DEFAULT_SERVER = '127.0.0.1:10911';
const REQUEST_TIMEOUT_MS = 5000;

/**
 * Joins a consumer group and consumes the queues the broker assigns it, one pull loop per queue
 * with long polling. CLUSTERING commits offsets on the broker; BROADCASTING keeps them here, in
 * memory. Emits 'rebalance' (queue ids) when its assignment changes and 'error' for failures it
 * recovers from (only when someone listens).
 */
export class PushConsumer extends EventEmitter {
  readonly clientId: string;
  private readonly connection: BrokerConnection;
  private readonly queues = new Map<number, QueueConsumer>();
  private readonly localOffsets = new Map<number, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly broadcasting: boolean;
  private running = false;
  /** Rebalances and commits run one at a time, in order. */
  private serial: Promise<void> = Promise.resolve();

  constructor(private readonly options: PushConsumerOptions) {
    super();
    if (!options.group) throw new TesseraClientError('BAD_ARGUMENT', 'a PushConsumer needs a group');
    if (!options.topic) throw new TesseraClientError('BAD_ARGUMENT', 'a PushConsumer needs a topic');
    if (typeof options.listener !== 'function') throw new TesseraClientError('BAD_ARGUMENT', 'a PushConsumer needs a listener function');
    this.clientId = options.clientId ?? `${hostname()}@${process.pid}@${randomBytes(4).toString('hex')}`;
    this.broadcasting = options.messageModel === 'BROADCASTING';
    this.connection = new BrokerConnection({ server: options.server ?? DEFAULT_SERVER, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  }

  assignedQueues(): number[] {
    return [...this.queues.keys()].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.connection.open();
    try {
      await this.heartbeat();
    } catch (error) {
      await this.connection.close();
      throw error;
    }
    this.running = true;
    // A failed first assignment (say, the topic does not exist yet) is reported as an 'error'
    // event and retried every rebalance interval, like later ones.
    await this.enqueue(() => this.rebalance()).catch(() => undefined);
    this.every(this.options.heartbeatIntervalMs ?? 3000, () => this.heartbeat());
    this.every(this.options.rebalanceIntervalMs ?? 2000, () => this.enqueue(() => this.rebalance()));
    this.every(this.options.autoCommitIntervalMs ?? 1000, () => this.enqueue(() => this.commitAll()));
  }

  /** Stops pulling, waits for in-flight listener calls, commits offsets and leaves the group. */
  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    await this.serial;
    const released = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(released.map((queue) => queue.stop()));
    await Promise.all(released.map((queue) => this.commit(queue).catch((error) => this.reportError(error))));
    if (!this.broadcasting) {
      await this.connection
        .request(RequestCode.UNREGISTER_CLIENT, unregisterClientRequestCodec, { group: this.options.group, clientId: this.clientId }, emptyBodyCodec)
        .catch((error) => this.reportError(error));
    }
    await this.connection.close();
  }

  private every(intervalMs: number, task: () => Promise<void>): void {
    const timer = setInterval(() => {
      if (this.running) task().catch((error) => this.reportError(error));
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const next = this.serial.then(() => (this.running ? task() : undefined));
    this.serial = next.catch((error) => this.reportError(error));
    return next;
  }

  private heartbeat(): Promise<void> {
    return this.connection.request(
      RequestCode.HEARTBEAT,
      heartbeatRequestCodec,
      { group: this.options.group, clientId: this.clientId, topics: [this.options.topic], messageModel: this.options.messageModel ?? 'CLUSTERING' },
      emptyBodyCodec,
    );
  }

  private async rebalance(): Promise<void> {
    const { queueIds } = await this.connection.request(
      RequestCode.QUERY_ASSIGNMENT,
      queryAssignmentRequestCodec,
      { group: this.options.group, topic: this.options.topic, clientId: this.clientId },
      queryAssignmentResponseCodec,
    );
    const wanted = new Set(queueIds);
    const released = [...this.queues.values()].filter((queue) => !wanted.has(queue.queueId));
    for (const queue of released) this.queues.delete(queue.queueId);
    await Promise.all(released.map((queue) => queue.stop()));
    await Promise.all(released.map((queue) => this.commit(queue).catch((error) => this.reportError(error))));
    let changed = released.length > 0;
    for (const queueId of queueIds) {
      if (this.queues.has(queueId) || !this.running) continue;
      const committed = await this.committedOffset(queueId);
      const start = committed ?? (await this.initialOffset(queueId));
      const queue = new QueueConsumer(
        {
          connection: this.connection,
          group: this.options.group,
          topic: this.options.topic,
          queueId,
          tagExpression: this.options.tagExpression ?? '*',
          listener: this.options.listener,
          consumeBatchSize: this.options.consumeBatchSize ?? 1,
          pullBatchSize: this.options.pullBatchSize ?? 32,
          longPollMs: this.options.longPollMs ?? 10_000,
          redeliveryDelayMs: this.options.redeliveryDelayMs ?? 1000,
          maxRedeliveries: this.options.maxRedeliveries ?? 16,
          requestTimeoutMs: REQUEST_TIMEOUT_MS,
          onError: (error) => this.reportError(error),
        },
        start,
        committed,
      );
      this.queues.set(queueId, queue);
      queue.start();
      changed = true;
    }
    if (changed) this.emit('rebalance', this.assignedQueues());
  }

  private async commitAll(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => this.commit(queue)));
  }

  private async commit(queue: QueueConsumer): Promise<void> {
    const offset = queue.consumedOffset;
    if (offset === queue.committedOffset) return;
    if (this.broadcasting) {
      this.localOffsets.set(queue.queueId, offset);
    } else {
      await this.connection.request(
        RequestCode.COMMIT_OFFSET,
        commitOffsetRequestCodec,
        { group: this.options.group, topic: this.options.topic, queueId: queue.queueId, offset },
        emptyBodyCodec,
      );
    }
    queue.committedOffset = offset;
  }

  private async committedOffset(queueId: number): Promise<number | undefined> {
    if (this.broadcasting) return this.localOffsets.get(queueId);
    const response = await this.connection.request(
      RequestCode.QUERY_OFFSET,
      queryOffsetRequestCodec,
      { group: this.options.group, topic: this.options.topic, queueId },
      queryOffsetResponseCodec,
    );
    return response.offset;
  }

  private async initialOffset(queueId: number): Promise<number> {
    const from = this.options.consumeFrom ?? 'latest';
    if (typeof from === 'object') {
      const response = await this.connection.request(
        RequestCode.SEARCH_OFFSET_BY_TIME,
        searchOffsetByTimeRequestCodec,
        { topic: this.options.topic, queueId, timestamp: from.timestamp },
        searchOffsetByTimeResponseCodec,
      );
      return response.offset;
    }
    const range = await this.connection.request(RequestCode.QUEUE_RANGE, queueRangeRequestCodec, { topic: this.options.topic, queueId }, queueRangeResponseCodec);
    return from === 'earliest' ? range.minOffset : range.maxOffset;
  }

  private reportError(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}
