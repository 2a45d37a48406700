import {
  commitOffsetRequestCodec,
  emptyBodyCodec,
  queryOffsetRequestCodec,
  queryOffsetResponseCodec,
  queueRangeRequestCodec,
  queueRangeResponseCodec,
  RequestCode,
  searchOffsetByTimeRequestCodec,
  searchOffsetByTimeResponseCodec,
  syncAssignmentRequestCodec,
  syncAssignmentResponseCodec,
  type SyncAssignmentRequest,
  type SyncAssignmentResponse,
  type WireSubscription,
} from '@tessera/wire';
import type { BrokerConnection } from '../connection/broker-connection';
import { QueueNotOwnedError } from '../errors/queue-not-owned-error';
import { TopicNotFoundError } from '../errors/topic-not-found-error';
import { CoalescedTask } from './coalesced-task';
import type { PushConsumerOptions } from './push-consumer-options';
import { QueueConsumer } from './queue-consumer';

/** How long the broker may hold a sync whose answer would not change. */
const SYNC_WAIT_MS = 10_000;
const MAX_SYNC_BACKOFF_MS = 5000;

/** A queue this member consumes, with its commits run one at a time. */
interface HeldQueue {
  consumer: QueueConsumer;
  commit: CoalescedTask;
}

export interface TopicMembershipSettings {
  connection: BrokerConnection;
  clientId: string;
  /** The member's options, with this membership's topic, listener and start position. */
  options: PushConsumerOptions;
  /** Sent with every pull (see wireSubscriptionFor); none takes everything. */
  subscription: WireSubscription | undefined;
  requestTimeoutMs: number;
  /** The topic may not exist yet (the group's retry topic, created on the first failure): that is not reported. */
  mayBeMissing: boolean;
  /** The broker answered a sync sent at `sentAt`: the member's session is alive. */
  onAnswered(sentAt: number, sessionTimeoutMs: number): void;
  /** The queues this member consumes changed. */
  onRebalance(queueIds: number[]): void;
  /** The broker took charge of a message the listener failed (and may have created the group's retry topic). */
  onHandedOver(): void;
  onError(error: unknown): void;
}

/**
 * One topic of a group member: one long-polled assignment sync always in flight, answered as soon
 * as the group changes, and one QueueConsumer per granted queue. A released queue is stopped and
 * committed before the broker grants it to another member, so no two members consume one queue at
 * once. CLUSTERING commits offsets on the broker, fenced by the member's client id; BROADCASTING
 * keeps them here, in memory.
 */
export class TopicMembership {
  private readonly owned = new Map<number, HeldQueue>();
  /** Stopped queues whose commit failed for now: still held, so the broker grants them to no one else yet. */
  private readonly releasing = new Map<number, HeldQueue>();
  /**
   * Queues dropped without a commit whose listener call may still be running: not held, but not
   * started again until they stopped, so one queue never has two listener calls at once.
   */
  private readonly stopping = new Map<number, Promise<void>>();
  private readonly localOffsets = new Map<number, number>();
  private readonly broadcasting: boolean;
  private running = false;
  /** The generation of the last answer fully acted on; undefined makes the next sync answer at once. */
  private generation: number | undefined;
  private syncLoop: Promise<void> | undefined;
  private lastSyncFailed = false;
  /** Raised whenever queues are dropped outside the sync loop, which must then sync at once. */
  private drops = 0;
  private wakeSyncLoop: (() => void) | undefined;

  constructor(private readonly settings: TopicMembershipSettings) {
    this.broadcasting = settings.options.messageModel === 'BROADCASTING';
  }

  get topic(): string {
    return this.settings.options.topic;
  }

  assignedQueues(): number[] {
    return [...this.owned.keys()].sort((a, b) => a - b);
  }

  /** Acts on the first sync answer, then keeps syncing in the background. */
  async start(): Promise<void> {
    this.running = true;
    // A failed first sync (say, the topic does not exist yet) is reported and retried, like later ones.
    const firstSyncDone = await this.syncRound();
    this.syncLoop = this.runSyncLoop(firstSyncDone ? 0 : 1);
  }

  /** Stops syncing, waits for in-flight listener calls and commits every held queue. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeSyncLoop?.();
    await this.syncLoop;
    await Promise.all(this.stopping.values());
    const held = [...this.owned.values(), ...this.releasing.values()];
    this.owned.clear();
    this.releasing.clear();
    await Promise.all(held.map((queue) => queue.consumer.stop()));
    await Promise.all(held.map((queue) => queue.commit.run().catch((error) => this.settings.onError(error))));
  }

  /** Sends a fresh sync now (the one in flight may have been lost). */
  wake(): void {
    this.wakeSyncLoop?.();
  }

  /** Syncs at once if the last sync failed, e.g. because the topic did not exist yet. */
  retryFailedSync(): void {
    if (this.lastSyncFailed) this.wakeSyncLoop?.();
  }

  commitAll(): void {
    for (const [queueId, queue] of this.owned) this.commitInBackground(queueId, queue);
  }

  /** The session has probably expired at the broker: stops every queue without committing; returns how many. */
  dropAll(): number {
    const dropped = [...this.owned, ...this.releasing];
    this.owned.clear();
    this.releasing.clear();
    for (const [queueId, queue] of dropped) this.stopWithoutCommit(queueId, queue);
    this.wakeSyncLoop?.();
    if (dropped.length > 0) this.settings.onRebalance([]);
    return dropped.length;
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
      this.lastSyncFailed = false;
      if (answer === undefined || !this.running) return true;
      this.settings.onAnswered(sentAt, answer.sessionTimeoutMs);
      await this.apply(answer);
      return true;
    } catch (error) {
      this.generation = undefined;
      this.lastSyncFailed = true;
      if (this.running && !(this.settings.mayBeMissing && error instanceof TopicNotFoundError)) this.settings.onError(error);
      return false;
    }
  }

  private sync(): Promise<SyncAssignmentResponse> {
    const request: SyncAssignmentRequest = {
      group: this.settings.options.group,
      topic: this.topic,
      clientId: this.settings.clientId,
      held: [...this.owned.keys(), ...this.releasing.keys()],
      maxWaitMs: SYNC_WAIT_MS,
    };
    if (this.generation !== undefined) request.knownGeneration = this.generation;
    const response = this.settings.connection.request(
      RequestCode.SYNC_ASSIGNMENT,
      syncAssignmentRequestCodec,
      request,
      syncAssignmentResponseCodec,
      { timeoutMs: this.settings.requestTimeoutMs + SYNC_WAIT_MS },
    );
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
      this.settings.onRebalance(this.assignedQueues());
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
    await this.commitReleasing().catch((error) => this.settings.onError(error));
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
    const { options } = this.settings;
    const committed = await this.committedOffset(queueId);
    const start = committed ?? (await this.initialOffset(queueId));
    if (!this.running || this.owned.has(queueId)) return false;
    const orderly = options.consumeMode === 'ORDERLY';
    const consumer: QueueConsumer = new QueueConsumer(
      {
        connection: this.settings.connection,
        group: options.group,
        topic: options.topic,
        queueId,
        subscription: this.settings.subscription,
        listener: options.listener,
        consumeMode: options.consumeMode ?? 'CONCURRENT',
        // Committing after every batch keeps what a dead member's successor replays to one batch.
        onConsumed: orderly ? () => this.commitInBackground(queueId, queue) : undefined,
        // A failed broadcast message is dropped after its local redeliveries (as in RocketMQ): no copy would reach the other members.
        handOverFailures: !this.broadcasting,
        onHandedOver: () => this.settings.onHandedOver(),
        consumeBatchSize: options.consumeBatchSize ?? 1,
        pullBatchSize: options.pullBatchSize ?? 32,
        longPollMs: options.longPollMs ?? 10_000,
        redeliveryDelayMs: options.redeliveryDelayMs ?? 1000,
        maxRedeliveries: options.maxRedeliveries ?? 16,
        requestTimeoutMs: this.settings.requestTimeoutMs,
        onError: (error) => this.settings.onError(error),
      },
      start,
      committed,
    );
    const queue: HeldQueue = { consumer, commit: new CoalescedTask(() => this.commit(consumer)) };
    this.owned.set(queueId, queue);
    consumer.start();
    return true;
  }

  private commitInBackground(queueId: number, queue: HeldQueue): void {
    queue.commit.run().catch((error) => {
      if (error instanceof QueueNotOwnedError) this.dropQueue(queueId, queue);
      this.settings.onError(error);
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
    this.settings.onRebalance(this.assignedQueues());
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
      await this.settings.connection.request(
        RequestCode.COMMIT_OFFSET,
        commitOffsetRequestCodec,
        { group: this.settings.options.group, topic: this.topic, queueId: queue.queueId, offset, clientId: this.settings.clientId },
        emptyBodyCodec,
      );
    }
    queue.committedOffset = offset;
  }

  private async committedOffset(queueId: number): Promise<number | undefined> {
    if (this.broadcasting) return this.localOffsets.get(queueId);
    const response = await this.settings.connection.request(
      RequestCode.QUERY_OFFSET,
      queryOffsetRequestCodec,
      { group: this.settings.options.group, topic: this.topic, queueId },
      queryOffsetResponseCodec,
    );
    return response.offset;
  }

  private async initialOffset(queueId: number): Promise<number> {
    const from = this.settings.options.consumeFrom ?? 'latest';
    const { connection } = this.settings;
    if (typeof from === 'object') {
      const response = await connection.request(
        RequestCode.SEARCH_OFFSET_BY_TIME,
        searchOffsetByTimeRequestCodec,
        { topic: this.topic, queueId, timestamp: from.timestamp },
        searchOffsetByTimeResponseCodec,
      );
      return response.offset;
    }
    const range = await connection.request(RequestCode.QUEUE_RANGE, queueRangeRequestCodec, { topic: this.topic, queueId }, queueRangeResponseCodec);
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
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
