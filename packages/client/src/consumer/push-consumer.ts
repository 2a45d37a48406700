import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import {
  emptyBodyCodec,
  heartbeatRequestCodec,
  heartbeatResponseCodec,
  RequestCode,
  unregisterClientRequestCodec,
  type WireSubscription,
} from '@tessera/wire';
import { BrokerConnection } from '../connection/broker-connection';
import { TesseraClientError } from '../errors/tessera-client-error';
import { checkSubscription } from './check-subscription';
import type { PushConsumerOptions } from './push-consumer-options';
import { restoringRealTopic } from './restoring-real-topic';
import { retryTopicOf } from './retry-topic-of';
import { SessionWatchdog } from './session-watchdog';
import { TopicMembership } from './topic-membership';
import { wireSubscriptionFor } from './wire-subscription-for';

const DEFAULT_SERVER = '127.0.0.1:10911';
const REQUEST_TIMEOUT_MS = 5000;
/** A heartbeat is given up after its interval (at least this), so a silent broker does not delay the next one. */
const MIN_HEARTBEAT_TIMEOUT_MS = 1000;

/**
 * Joins a consumer group and consumes the queues the broker grants it, one pull loop per queue
 * with long polling (see TopicMembership). A CLUSTERING member in CONCURRENT mode also consumes
 * its group's retry topic, `%RETRY%<group>`, where the broker's retry plugin puts the messages a
 * listener failed, after a backoff: the listener gets them under their original topic, with
 * `reconsumeTimes` raised. The retry topic appears with the group's first failure. When no
 * heartbeat or sync was answered for the session timeout, the member stops all its queues without
 * committing (the broker will have given them away) and rejoins once the broker answers again.
 * Emits 'rebalance' (queue ids of its topic) when its queues change and 'error' for failures it
 * recovers from (only when someone listens).
 */
export class PushConsumer extends EventEmitter {
  readonly clientId: string;
  private readonly connection: BrokerConnection;
  private readonly membership: TopicMembership;
  private readonly retryMembership: TopicMembership | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly broadcasting: boolean;
  private readonly heartbeatIntervalMs: number;
  private readonly subscription: WireSubscription | undefined;
  private readonly watchdog = new SessionWatchdog(() => this.dropAllQueues());
  private running = false;
  private heartbeatInFlight = false;

  constructor(private readonly options: PushConsumerOptions) {
    super();
    if (!options.group) throw new TesseraClientError('BAD_ARGUMENT', 'a PushConsumer needs a group');
    if (!options.topic) throw new TesseraClientError('BAD_ARGUMENT', 'a PushConsumer needs a topic');
    if (typeof options.listener !== 'function') throw new TesseraClientError('BAD_ARGUMENT', 'a PushConsumer needs a listener function');
    this.clientId = options.clientId ?? `${hostname()}@${process.pid}@${randomBytes(4).toString('hex')}`;
    this.broadcasting = options.messageModel === 'BROADCASTING';
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 3000;
    this.connection = new BrokerConnection({ server: options.server ?? DEFAULT_SERVER, requestTimeoutMs: REQUEST_TIMEOUT_MS });
    this.subscription = wireSubscriptionFor(options.tagExpression, options.sqlExpression);
    this.membership = this.createMembership(options, false, (queueIds) => this.emit('rebalance', queueIds));
    // ORDERLY retries in place to keep queue order; BROADCASTING drops what failed locally (as RocketMQ does).
    const retryTopic = retryTopicOf(options.group);
    if (!this.broadcasting && options.consumeMode !== 'ORDERLY' && options.topic !== retryTopic) {
      // The copies keep tag and properties, so the group's own subscription matches them too.
      const retryOptions = { ...options, topic: retryTopic, consumeFrom: 'earliest' as const, listener: restoringRealTopic(options.listener) };
      this.retryMembership = this.createMembership(retryOptions, true, () => undefined);
    }
  }

  /** The queues of its topic this member consumes now. */
  assignedQueues(): number[] {
    return this.membership.assignedQueues();
  }

  /**
   * Joins the group and acts on the first assignment; fails only if the broker cannot be reached or
   * refuses the subscription expression (InvalidSubscriptionError).
   */
  async start(): Promise<void> {
    if (this.running) return;
    await this.connection.open();
    try {
      await checkSubscription(this.connection, this.options.group, this.options.topic, this.subscription);
      await this.heartbeat();
    } catch (error) {
      await this.connection.close();
      throw error;
    }
    this.running = true;
    await Promise.all(this.memberships().map((membership) => membership.start()));
    this.every(this.heartbeatIntervalMs, () => this.heartbeatUnlessInFlight());
    this.every(this.options.autoCommitIntervalMs ?? 1000, () => this.memberships().forEach((membership) => membership.commitAll()));
  }

  /** Stops pulling, waits for in-flight listener calls, commits offsets and leaves the group. */
  async shutdown(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.watchdog.stop();
    await Promise.all(this.memberships().map((membership) => membership.stop()));
    if (!this.broadcasting) {
      await this.connection
        .request(RequestCode.UNREGISTER_CLIENT, unregisterClientRequestCodec, { group: this.options.group, clientId: this.clientId }, emptyBodyCodec)
        .catch((error) => this.reportError(error));
    }
    await this.connection.close();
  }

  private createMembership(options: PushConsumerOptions, mayBeMissing: boolean, onRebalance: (queueIds: number[]) => void): TopicMembership {
    return new TopicMembership({
      connection: this.connection,
      clientId: this.clientId,
      options,
      subscription: this.subscription,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      mayBeMissing,
      onAnswered: (sentAt, sessionTimeoutMs) => this.watchdog.answered(sentAt, sessionTimeoutMs),
      onRebalance,
      // The first failure creates the retry topic: pick it up now rather than after the sync backoff.
      onHandedOver: () => this.retryMembership?.retryFailedSync(),
      onError: (error) => this.reportError(error),
    });
  }

  private memberships(): TopicMembership[] {
    return this.retryMembership ? [this.membership, this.retryMembership] : [this.membership];
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
        topics: this.memberships().map((membership) => membership.topic),
        messageModel: this.options.messageModel ?? 'CLUSTERING',
        allocationStrategy: this.options.allocationStrategy ?? 'average',
      },
      heartbeatResponseCodec,
      { timeoutMs: Math.min(REQUEST_TIMEOUT_MS, Math.max(MIN_HEARTBEAT_TIMEOUT_MS, this.heartbeatIntervalMs)) },
    );
    const rejoining = this.watchdog.isExpired;
    this.watchdog.answered(sentAt, sessionTimeoutMs);
    // The syncs in flight may have been lost with the broker's silence: send fresh ones now.
    if (rejoining) this.memberships().forEach((membership) => membership.wake());
  }

  /** The session has probably expired at the broker: its queues may belong to others already. */
  private dropAllQueues(): void {
    if (!this.running) return;
    const dropped = this.memberships().reduce((count, membership) => count + membership.dropAll(), 0);
    this.reportError(
      new TesseraClientError(
        'SESSION_EXPIRED',
        `no heartbeat or assignment sync of ${this.clientId} was answered within the session timeout: stopped ${dropped} queue(s) without committing; rejoining once the broker answers`,
      ),
    );
  }

  private reportError(error: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', error);
  }
}
