import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  commitOffsetRequestCodec,
  emptyBodyCodec,
  heartbeatRequestCodec,
  heartbeatResponseCodec,
  queryOffsetRequestCodec,
  queryOffsetResponseCodec,
  queueRangeRequestCodec,
  queueRangeResponseCodec,
  RequestCode,
  searchOffsetByTimeRequestCodec,
  searchOffsetByTimeResponseCodec,
  syncAssignmentRequestCodec,
  syncAssignmentResponseCodec,
  unregisterClientRequestCodec,
  type SyncAssignmentRequest,
  type SyncAssignmentResponse,
} from '@tessera/wire';
import { BrokerConnection } from '../connection/broker-connection';
import { QueueNotOwnedError } from '../errors/queue-not-owned-error';
import { TesseraClientError } from '../errors/tessera-client-error';
import { CoalescedTask } from './coalesced-task';
import type { PushConsumerOptions } from './push-consumer-options';
import { QueueConsumer } from './queue-consumer';
import { SessionWatchdog } from './session-watchdog';

const DEFAULT_SERVER = '127.0.0.1:10911';
const REQUEST_TIMEOUT_MS = 5000;
/** How long the broker may hold a sync whose answer would not change. */
const SYNC_WAIT_MS = 10_000;
const MAX_SYNC_BACKOFF_MS = 5000;
/** A heartbeat is given up after its interval (at least this), so a silent broker does not delay the next one. */
const MIN_HEARTBEAT_TIMEOUT_MS = 1000;

/** A queue this member consumes, with its commits run one at a time. */
interface HeldQueue {
  consumer: QueueConsumer;
  commit: CoalescedTask;
}

/**
 * Joins a consumer group and consumes the queues the broker grants it, one pull loop per queue
 * with long polling. One long-polled assignment sync is always in flight: the broker answers it as
 * soon as the group changes, telling the member which queues it owns and which it must release; a
 * released queue is stopped and committed before the broker grants it to another member, so no two
 * members consume one queue at once. CLUSTERING commits offsets on the broker, fenced by the
 * member's client id; BROADCASTING keeps them here, in memory. When no heartbeat or sync was
 * answered for the session timeout, the member stops all its queues without committing (the
 * broker will have given them away) and rejoins once the broker answers again.
 * Emits 'rebalance' (queue ids) when its queues change and 'error' for failures it recovers from
 * (only when someone listens).
 */
export class PushConsumer extends EventEmitter {
  readonly clientId: string;
  private readonly connection: BrokerConnection;
  private readonly owned = new Map<number, HeldQueue>();
  /** Stopped queues whose commit failed for now: still held, so the broker grants them to no one else yet. */
  private readonly releasing = new Map<number, HeldQueue>();
  /**
   * Queues dropped without a commit whose listener call may still be running: not held, but not
   * started again until they stopped, so one queue never has two listener calls at once.
   */
  private readonly stopping = new Map<number, Promise<void>>();
  private readonly localOffsets = new Map<number, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly broadcasting: boolean;
  private readonly heartbeatIntervalMs: number;
  private readonly watchdog = new SessionWatchdog(() => this.dropAllQueues());
  private running = false;
  private heartbeatInFlight = false;
  /** The generation of the last answer fully acted on; undefined makes the next sync answer at once. */
  private generation: number | undefined;
  private syncLoop: Promise<void> | undefined;
  /** Raised whenever queues are dropped outside the sync loop, which must then sync at once. */
  private drops = 0;
  private wakeSyncLoop: (() => void) | undefined;

  constructor(private readonly options: PushConsumerOptions) {
    super();
    if (!options.group) throw new TesseraClientError('BAD_ARGUMENT', 'a PushConsumer needs a group');
    if (!options.topic) throw new TesseraClientError('BAD_ARGUMENT', 'a PushConsumer needs a topic');
    if (typeof options.listener !== 'function') throw new TesseraClientError('BAD_ARGUMENT', 'a PushConsumer needs a listener function');
    this.clientId = options.clientId ?? `${hostname()}@${process.pid}@${randomBytes(4).toString('hex')}`;
    this.broadcasting = options.messageModel === 'BROADCASTING';
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3000;
    this.connection = new BrokerConnection({ server: options.server ?? DEFAULT_SERVER, requestTimeoutMs: REQUEST_TIMEOUT_MS });
  }

  assignedQueues(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  /** Joins the group and acts on the first assignment; fails only if the broker cannot be reached. */
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
    // A failed first sync (say, the topic does not exist yet) is reported as an 'error' event and
    // retried, like later ones.
    const firstSyncDone = await this.syncRound();
    this.syncLoop = this.runSyncLoop(firstSyncDone ? 0 : 1);
    this.every(this.heartbeatIntervalMs, () => this.heartbeatUnlessInFlight());
    this.every(this.options.autoCommitIntervalMs ?? 1000, () => this.commitAll());
  }

  /** Stops pulling, waits for in-flight listener calls, commits offsets and leaves the group. */
  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.watchdog.stop();
    this.wakeSyncLoop?.();
    await this.syncLoop;
    await Promise.all(this.stopping.values());
    const held = [...this.owned.values(), ...this.releasing.values()];
    this.owned.clear();
    this.releasing.clear();
    await Promise.all(held.map((queue) => queue.consumer.stop()));
    await Promise.all(held.map((queue) => queue.commit.run().catch((error) => this.reportError(error))));
    if (!this.broadcasting) {
      await this.connection
        .request(RequestCode.UNREGISTER_CLIENT, unregisterClientRequestCodec, { group: this.options.group, clientId: this.clientId }, emptyBodyCodec)
        .catch((error) => this.reportError(error));
    }
    await this.connection.close();
  }

  private every(intervalMs: number, task: () => void): void {
    const timer = setInterval(() => {
      if (this.running) task();
    }, intervalMs);
    timer.unref();
    this.timers.push(timer);
  }

  private heartbeatUnlessInFlight(): void {
    if (this.heartbeatInFlight) return;
    this.heartbeatInFlight = true;
    this.heartbeat()
      .catch((error) => this.reportError(error))
      .finally(() => (this.heartbeatInFlight = false));
  }

  private async heartbeat(): Promise<void> {
    const sentAt = Date.now();
    const { sessionTimeoutMs } = await this.connection.request(
      RequestCode.HEARTBEAT,
      heartbeatRequestCodec,
      {
        group: this.options.group,
        clientId: this.clientId,
        topics: [this.options.topic],
        messageModel: this.options.messageModel ?? 'CLUSTERING',
        allocationStrategy: this.options.allocationStrategy ?? 'average',
      },
      heartbeatResponseCodec,
      { timeoutMs: Math.min(REQUEST_TIMEOUT_MS, Math.max(MIN_HEARTBEAT_TIMEOUT_MS, this.heartbeatIntervalMs)) },
    );
    const rejoining = this.watchdog.isExpired;
    this.watchdog.answered(sentAt, sessionTimeoutMs);
    // The sync in flight may have been lost with the broker's silence: send a fresh one now.
    if (rejoining) this.wakeSyncLoop?.();
  }

  private async runSyncLoop(failures: number): Promise<void> {
    while (this.running) {
      if (failures > 0) await this.untilWoken(delay(Math.min(MAX_SYNC_BACKOFF_MS, 50 * 2 ** failures)));
      if (!this.running) return;
      failures = (await this.syncRound()) ? 0 : failures + 1;
    }
  }

  /**
   * Finishes pending releases, syncs (held by the broker until something changes) and acts on the
   * answer. False when something failed (reported); the next sync then is answered at once.
   */
  private async syncRound(): Promise<boolean> {
    try {
      await this.commitReleasing();
      const sentAt = Date.now();
      const answer = await this.untilWoken(this.sync());
      if (answer === undefined || !this.running) return true;
      this.watchdog.answered(sentAt, answer.sessionTimeoutMs);
      await this.apply(answer);
      return true;
    } catch (error) {
      this.generation = undefined;
      if (this.running) this.reportError(error);
      return false;
    }
  }

  private sync(): Promise<SyncAssignmentResponse> {
    const request: SyncAssignmentRequest = {
      group: this.options.group,
      topic: this.options.topic,
      clientId: this.clientId,
      held: [...this.owned.keys(), ...this.releasing.keys()],
      maxWaitMs: SYNC_WAIT_MS,
    };
    if (this.generation !== undefined) request.knownGeneration = this.generation;
    const response = this.connection.request(RequestCode.SYNC_ASSIGNMENT, syncAssignmentRequestCodec, request, syncAssignmentResponseCodec, {
      timeoutMs: REQUEST_TIMEOUT_MS + SYNC_WAIT_MS,
    });
    // An abandoned sync (the loop was woken) may still fail later: nobody waits for it then.
    response.catch(() => undefined);
    return response;
  }

  /** Releases what the member must give up, then starts what it was granted. */
  private async apply(answer: SyncAssignmentResponse): Promise<void> {
    this.generation = undefined;
    const dropsBefore = this.drops;
    const owned = new Set(answer.owned);
    const revoked = new Set(answer.revoked);
    const toRelease = [...this.owned.keys()].filter((queueId) => !owned.has(queueId) || revoked.has(queueId));
    const granted = answer.owned.filter(
      (queueId) => !this.owned.has(queueId) && !this.releasing.has(queueId) && !this.stopping.has(queueId) && !revoked.has(queueId),
    );
    if (toRelease.length > 0) await this.release(toRelease);
    const starts = await Promise.allSettled(granted.map((queueId) => this.startQueue(queueId)));
    if (toRelease.length > 0 || starts.some((start) => start.status === 'fulfilled' && start.value)) {
      this.emit('rebalance', this.assignedQueues());
    }
    const failed = starts.find((start): start is PromiseRejectedResult => start.status === 'rejected');
    if (failed) throw failed.reason;
    // Only an answer acted on in full may be long-polled on: after a release the broker has news.
    if (toRelease.length === 0 && this.drops === dropsBefore) this.generation = answer.generation;
  }

  /** Stops the queues (waiting for their listener calls), commits them and forgets them. */
  private async release(queueIds: number[]): Promise<void> {
    const released = queueIds.map((queueId) => {
      const queue = this.owned.get(queueId)!;
      this.owned.delete(queueId);
      this.releasing.set(queueId, queue);
      return queue;
    });
    await Promise.all(released.map((queue) => queue.consumer.stop()));
    await this.commitReleasing().catch((error) => this.reportError(error));
  }

  /**
   * Commits the stopped queues still held. A queue the broker says is no longer ours is dropped
   * without a commit; one whose commit failed otherwise stays held, and this throws.
   */
  private async commitReleasing(): Promise<void> {
    const results = await Promise.allSettled(
      [...this.releasing].map(async ([queueId, queue]) => {
        try {
          await queue.commit.run();
        } catch (error) {
          if (!(error instanceof QueueNotOwnedError)) throw error;
        }
        if (this.releasing.get(queueId) === queue) this.releasing.delete(queueId);
      }),
    );
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** True when the queue was started; false when the member stopped or was fenced meanwhile. */
  private async startQueue(queueId: number): Promise<boolean> {
    const committed = await this.committedOffset(queueId);
    const start = committed ?? (await this.initialOffset(queueId));
    if (!this.running || this.owned.has(queueId)) return false;
    const orderly = this.options.consumeMode === 'ORDERLY';
    const consumer: QueueConsumer = new QueueConsumer(
      {
        connection: this.connection,
        group: this.options.group,
        topic: this.options.topic,
        queueId,
        tagExpression: this.options.tagExpression ?? '*',
        listener: this.options.listener,
        consumeMode: this.options.consumeMode ?? 'CONCURRENT',
        // Committing after every batch keeps what a dead member's successor replays to one batch.
        onConsumed: orderly ? () => this.commitInBackground(queueId, queue) : undefined,
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
    const queue: HeldQueue = { consumer, commit: new CoalescedTask(() => this.commit(consumer)) };
    this.owned.set(queueId, queue);
    consumer.start();
    return true;
  }

  private commitAll(): void {
    for (const [queueId, queue] of this.owned) this.commitInBackground(queueId, queue);
  }

  private commitInBackground(queueId: number, queue: HeldQueue): void {
    queue.commit.run().catch((error) => {
      if (error instanceof QueueNotOwnedError) this.dropQueue(queueId, queue);
      this.reportError(error);
    });
  }

  /**
   * The broker refused a commit: the queue was reset under this member or given to another. Stop
   * it without committing and sync at once, so the broker decides what comes next.
   */
  private dropQueue(queueId: number, queue: HeldQueue): void {
    if (this.owned.get(queueId) !== queue) return;
    this.owned.delete(queueId);
    this.stopWithoutCommit(queueId, queue);
    this.emit('rebalance', this.assignedQueues());
  }

  /** The session has probably expired at the broker: its queues may belong to others already. */
  private dropAllQueues(): void {
    if (!this.running) return;
    const dropped = [...this.owned, ...this.releasing];
    this.owned.clear();
    this.releasing.clear();
    for (const [queueId, queue] of dropped) this.stopWithoutCommit(queueId, queue);
    this.reportError(
      new TesseraClientError(
        'SESSION_EXPIRED',
        `no heartbeat or assignment sync of ${this.clientId} was answered within the session timeout: stopped ${dropped.length} queue(s) without committing; rejoining once the broker answers`,
      ),
    );
    this.wakeSyncLoop?.();
    if (dropped.length > 0) this.emit('rebalance', []);
  }

  /** Once the queue stopped, the member syncs at once: the broker may grant it again. */
  private stopWithoutCommit(queueId: number, queue: HeldQueue): void {
    this.drops++;
    this.generation = undefined;
    const stopped = queue.consumer.stop().then(() => {
      if (this.stopping.get(queueId) === stopped) this.stopping.delete(queueId);
      this.drops++;
      this.generation = undefined;
      this.wakeSyncLoop?.();
    });
    this.stopping.set(queueId, stopped);
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
        { group: this.options.group, topic: this.options.topic, queueId: queue.queueId, offset, clientId: this.clientId },
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

  /** `work`'s result, or undefined once the member stops or something wakes the sync loop. */
  private untilWoken<T>(work: Promise<T>): Promise<T | undefined> {
    if (!this.running) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve, reject) => {
      const wake = (): void => resolve(undefined);
      this.wakeSyncLoop = wake;
      work.then(resolve, reject).finally(() => {
        if (this.wakeSyncLoop === wake) this.wakeSyncLoop = undefined;
      });
    });
  }

  private reportError(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
