import { inject, injectable, multiInject, optional } from 'inversify';
import { Counter, Histogram } from '../metrics/metric-types';
import { registerConsumptionMetrics } from '../metrics/register-consumption-metrics';
import { BrokerSettings } from '../config/broker-settings';
import { CoordinationService, type GroupMember, type GroupMemberHeartbeat } from '../coordination/coordination-service';
import { PullWaiters } from '../dispatch/pull-waiters';
import { ErrorCode } from '../errors/error-code';
import { TesseraError } from '../errors/tessera-error';
import { MessageHooks, type ConsumeFailure, type ProduceContext } from '../hooks/message-hooks';
import { readFilterFor } from '../hooks/read-filter-for';
import type { MessageInput } from '../message/message-input';
import { SystemProperties } from '../message/system-properties';
import { LATENCY_BUCKETS_SECONDS } from '../metrics/latency-buckets';
import { MetricsRegistry } from '../metrics/metrics-registry';
import type { StoredMessage } from '../message/stored-message';
import type { AssignmentSyncRequest, AssignmentSyncResult } from '../group/assignment-sync';
import { GroupCoordinator } from '../group/group-coordinator';
import type { OffsetResetTarget } from '../group/offset-reset-target';
import type { QueueProgress } from '../group/queue-progress';
import { ConsumerOffsetStore } from '../offset/consumer-offset-store';
import type { LeasedMessage } from '../pop/leased-message';
import type { BrowseRequest } from '../pop/browse-request';
import type { BrowsedMessage } from '../pop/browsed-message';
import { PopService } from '../pop/pop-service';
import { QueueBrowser } from '../pop/queue-browser';
import type { RedeliveryOptions } from '../pop/redelivery-options';
import type { ReceiveRequest } from '../pop/receive-request';
import type { SettleResult } from '../pop/settle-result';
import { ReplicationDriver } from '../replication/replication-driver';
import {
  StorageEngine,
  type AppendMessage,
  type AppendResult,
  type KeyQuery,
  type ReadRequest,
  type QueueRange,
  type ReadResult,
} from '../storage/storage-engine';
import { canWrite, KERNEL_TOPIC_PREFIX, type TopicConfig } from '../topic/topic-config';
import { readableTopic, requireReadQueue } from '../topic/readable-topic';
import { TopicRegistry } from '../topic/topic-registry';
import type { EndTransactionRequest } from '../transaction/end-transaction-request';
import type { TransactionCheck } from '../transaction/transaction-check';
import type { TransactionCheckPoll } from '../transaction/transaction-check-poll';
import { TransactionCoordinator } from '../transaction/transaction-coordinator';
import type { Broker, ProduceResult, PullRequest, TimeRangeQuery } from './broker';

/** A time range can hold the whole log; one query returns at most this many body bytes unless it asks otherwise. */
const DEFAULT_TIME_QUERY_MAX_BYTES = 16 * 1024 * 1024;

@injectable()
export class KernelBroker implements Broker {
  private acceptingWork = true;
  private readonly nextQueueByTopic = new Map<string, number>();
  private readonly hooksWithProduce: MessageHooks[];
  private readonly hooksWithProduceEnd: MessageHooks[];
  private readonly produceSeconds: Histogram;
  private readonly producedMessages: Counter;
  private readonly pulledMessages: Counter;

  constructor(
    @inject(BrokerSettings) readonly settings: BrokerSettings,
    @inject(TopicRegistry) readonly topics: TopicRegistry,
    @inject(ConsumerOffsetStore) readonly offsets: ConsumerOffsetStore,
    @inject(ReplicationDriver) private readonly replication: ReplicationDriver,
    @inject(StorageEngine) private readonly storage: StorageEngine,
    @inject(CoordinationService) private readonly coordination: CoordinationService,
    @inject(PullWaiters) private readonly waiters: PullWaiters,
    @multiInject(MessageHooks) private readonly hooks: MessageHooks[],
    @inject(GroupCoordinator) private readonly groups: GroupCoordinator,
    @inject(PopService) private readonly pop: PopService,
    @inject(QueueBrowser) private readonly browser: QueueBrowser,
    @inject(TransactionCoordinator) @optional() private readonly transactions: TransactionCoordinator | undefined,
    @inject(MetricsRegistry) metrics: MetricsRegistry,
  ) {
    this.hooksWithProduce = hooks.filter((h) => h.onProduce);
    this.hooksWithProduceEnd = hooks.filter((h) => h.onProduceEnd);
    this.produceSeconds = new Histogram({
      name: 'tessera_produce_duration_seconds',
      help: 'From a produce request reaching the kernel to its messages being durable (per the flush policy) and acked',
      buckets: LATENCY_BUCKETS_SECONDS,
      registers: [metrics],
    });
    this.producedMessages = new Counter({ name: 'tessera_messages_produced_total', help: 'Messages stored and acked', registers: [metrics] });
    this.pulledMessages = new Counter({ name: 'tessera_messages_pulled_total', help: 'Messages returned to offset-mode pulls (native pull and push consumers)', registers: [metrics] });
    registerConsumptionMetrics(metrics, this, topics, storage);
  }

  get accepting(): boolean {
    return this.acceptingWork;
  }

  stopAccepting(): void {
    this.acceptingWork = false;
    this.waiters.wakeAll();
  }

  async produce(messages: readonly MessageInput[], context: ProduceContext): Promise<ProduceResult[]> {
    if (!this.acceptingWork) throw new TesseraError(ErrorCode.SHUTTING_DOWN, 'the broker is shutting down');
    if (!this.replication.isWritable()) throw new TesseraError(ErrorCode.STORE_UNAVAILABLE, 'this broker cannot take writes now');
    const startedAt = performance.now();
    const now = Date.now();
    const batch: AppendMessage[] = new Array(messages.length);
    let topic: TopicConfig | undefined;
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i]!;
      if (topic?.name !== message.topic) topic = await this.writableTopic(message.topic);
      if (message.body.length > this.settings.maxMessageBytes) {
        throw new TesseraError(
          ErrorCode.MESSAGE_TOO_LARGE,
          `message body of ${message.body.length} bytes exceeds maxMessageBytes ${this.settings.maxMessageBytes}`,
        );
      }
      batch[i] = {
        topic: message.topic,
        queueId: this.selectQueue(topic, message.queueId),
        body: message.body,
        tag: message.tag,
        keys: message.keys,
        properties: message.properties,
        bornTimestamp: message.bornTimestamp ?? now,
        flag: message.flag ?? 0,
        reconsumeTimes: message.reconsumeTimes ?? 0,
      };
    }
    let results: AppendResult[] | undefined;
    try {
      for (const hook of this.hooksWithProduce) await hook.onProduce!(batch, context);
      for (const message of batch) {
        const properties = message.properties;
        // A message some plugin parked in its system topic may keep them for later (a delayed half message).
        if (properties && asksForDelay(properties) && !message.topic.startsWith(KERNEL_TOPIC_PREFIX)) {
          throw new TesseraError(ErrorCode.BAD_REQUEST, 'no plugin is loaded to deliver delayed messages (feature-delay)');
        }
      }
      results = await this.appendAndWake(batch);
      this.produceSeconds.observe((performance.now() - startedAt) / 1000);
      this.producedMessages.inc(results.length);
      return results;
    } finally {
      for (const hook of this.hooksWithProduceEnd) hook.onProduceEnd!(batch, context, results);
    }
  }

  async deleteTopic(name: string): Promise<void> {
    await this.topics.delete(name);
    this.offsets.deleteTopic(name);
    await this.pop.forgetTopic(name);
  }

  async pull(request: PullRequest): Promise<ReadResult> {
    requireReadQueue(readableTopic(this.topics, request.topic), request.queueId);
    const filter = request.subscription ? readFilterFor(this.hooks, request.subscription) : undefined;
    const deadline = Date.now() + (request.maxWaitMs ?? 0);
    let offset = request.offset;
    for (;;) {
      const result = await this.storage.read({
        topic: request.topic,
        queueId: request.queueId,
        offset,
        maxCount: request.maxCount,
        maxBytes: request.maxBytes,
        filter,
      });
      const nothingYet =
        result.status === 'NO_NEW_MESSAGE' || result.status === 'NO_MATCHED_MESSAGE' || result.status === 'NO_QUEUE';
      const remaining = deadline - Date.now();
      if (result.messages.length > 0) this.pulledMessages.inc(result.messages.length);
      if (!nothingYet || remaining <= 0 || !this.acceptingWork || request.signal?.aborted) return result;
      offset = result.nextOffset;
      // Checked in the same tick as parking, so an append can't slip in between unnoticed.
      if (this.storage.queueRange(request.topic, request.queueId).maxOffset > offset) continue;
      await this.waiters.wait(request.topic, request.queueId, remaining, request.signal);
    }
  }

  queueRange(topic: string, queueId: number): QueueRange {
    return this.storage.queueRange(topic, queueId);
  }

  offsetForTimestamp(topic: string, queueId: number, timestamp: number): Promise<number> {
    return this.storage.offsetForTimestamp(topic, queueId, timestamp);
  }

  getMessageById(msgId: string): Promise<StoredMessage | undefined> {
    return this.storage.getByMsgId(msgId);
  }

  queryMessagesByKey(query: KeyQuery): Promise<StoredMessage[]> {
    return this.storage.queryByKey(query);
  }

  async queryMessagesByTime(query: TimeRangeQuery): Promise<StoredMessage[]> {
    const topic = this.topics.get(query.topic);
    if (!topic) throw new TesseraError(ErrorCode.TOPIC_NOT_FOUND, `topic "${query.topic}" does not exist`);
    if (!(query.beginTimestamp <= query.endTimestamp)) {
      throw new TesseraError(ErrorCode.BAD_REQUEST, 'the time range must begin at or before its end');
    }
    const found: StoredMessage[] = [];
    const maxBytes = query.maxBytes ?? DEFAULT_TIME_QUERY_MAX_BYTES;
    let bytes = 0;
    const full = () => found.length >= query.maxCount || bytes >= maxBytes;
    for (let queueId = 0; queueId < topic.readQueueCount && !full(); queueId++) {
      let offset = await this.storage.offsetForTimestamp(query.topic, queueId, query.beginTimestamp);
      let inRange = true;
      while (inRange && !full()) {
        const result = await this.storage.read({
          topic: query.topic,
          queueId,
          offset,
          maxCount: Math.min(256, query.maxCount - found.length),
          maxBytes: Math.min(4 * 1024 * 1024, maxBytes - bytes),
        });
        if (result.status !== 'FOUND') break;
        for (const message of result.messages) {
          if (message.storeTimestamp > query.endTimestamp || (found.length > 0 && bytes + message.body.length > maxBytes)) {
            inRange = false;
            break;
          }
          found.push(message);
          bytes += message.body.length;
        }
        offset = result.nextOffset;
      }
    }
    return found;
  }

  async appendToSystemTopic(messages: readonly AppendMessage[]): Promise<AppendResult[]> {
    for (const message of messages) {
      if (!message.topic.startsWith(KERNEL_TOPIC_PREFIX)) {
        throw new TesseraError(ErrorCode.INVALID_TOPIC_NAME, `"${message.topic}" is not a system topic (${KERNEL_TOPIC_PREFIX}...)`);
      }
    }
    if (!this.replication.isWritable()) throw new TesseraError(ErrorCode.STORE_UNAVAILABLE, 'this broker cannot take writes now');
    return this.appendAndWake(messages);
  }

  async waitForSystemTopic(topic: string, queueId: number, offset: number, maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
    if (!topic.startsWith(KERNEL_TOPIC_PREFIX)) {
      throw new TesseraError(ErrorCode.INVALID_TOPIC_NAME, `"${topic}" is not a system topic (${KERNEL_TOPIC_PREFIX}...)`);
    }
    if (this.storage.queueRange(topic, queueId).maxOffset > offset) return true;
    // Even while stopping it waits: a caller looping on it must not spin without yielding.
    return this.waiters.wait(topic, queueId, maxWaitMs, signal);
  }

  async readSystemTopic(request: ReadRequest): Promise<ReadResult> {
    if (!request.topic.startsWith(KERNEL_TOPIC_PREFIX)) {
      throw new TesseraError(ErrorCode.INVALID_TOPIC_NAME, `"${request.topic}" is not a system topic (${KERNEL_TOPIC_PREFIX}...)`);
    }
    return this.storage.read(request);
  }

  commitOffset(group: string, topic: string, queueId: number, offset: number, clientId?: string): void {
    if (!Number.isInteger(offset) || offset < 0) {
      throw new TesseraError(ErrorCode.BAD_REQUEST, `offset must be a non-negative integer, got ${offset}`);
    }
    if (clientId !== undefined) this.groups.checkCommit(group, topic, queueId, clientId);
    this.offsets.commit(group, topic, queueId, offset);
  }

  committedOffset(group: string, topic: string, queueId: number): number | undefined {
    return this.offsets.get(group, topic, queueId);
  }

  heartbeat(member: GroupMemberHeartbeat): Promise<void> {
    return this.coordination.heartbeat(member);
  }

  leaveGroup(group: string, clientId: string): Promise<void> {
    return this.coordination.leaveGroup(group, clientId);
  }

  async listGroups(): Promise<string[]> {
    const groups = new Set([...(await this.coordination.listGroups()), ...this.offsets.groups(), ...this.pop.groups()]);
    return [...groups].sort();
  }

  groupMembers(group: string): Promise<GroupMember[]> {
    return this.coordination.listGroupMembers(group);
  }

  syncAssignment(request: AssignmentSyncRequest): Promise<AssignmentSyncResult> {
    return this.groups.sync(request);
  }

  resetOffsets(group: string, topic: string, target: OffsetResetTarget): Promise<Array<{ queueId: number; offset: number }>> {
    return this.groups.resetOffsets(group, topic, target);
  }

  /** Offset-mode progress from the group coordinator, per-message-ack progress from the POP state. */
  async groupProgress(group: string, topic?: string): Promise<QueueProgress[]> {
    const popTopics = this.pop.topicsOf(group).filter((name) => (topic === undefined || name === topic) && this.topics.get(name));
    let progress: QueueProgress[] = [];
    try {
      progress = await this.groups.progress(group, topic);
    } catch (error) {
      if (!(TesseraError.is(error, ErrorCode.GROUP_NOT_FOUND) && popTopics.length > 0)) throw error;
    }
    if (popTopics.length === 0) return progress;
    const popKeys = new Set<string>();
    for (const name of popTopics) {
      for (const queue of this.pop.progress(group, name)) {
        const { minOffset, maxOffset } = this.storage.queueRange(name, queue.queueId);
        popKeys.add(`${name}\u0000${queue.queueId}`);
        progress.push({
          topic: name,
          queueId: queue.queueId,
          committedOffset: queue.ackedUpTo,
          minOffset,
          maxOffset,
          lag: Math.max(0, maxOffset - queue.ackedUpTo),
          inflight: queue.inflight,
        });
      }
    }
    return progress
      .filter((entry) => entry.inflight !== undefined || !popKeys.has(`${entry.topic}\u0000${entry.queueId}`))
      .sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.queueId - b.queueId));
  }

  receive(request: ReceiveRequest): Promise<LeasedMessage[]> {
    return this.pop.receive(request);
  }

  browse(request: BrowseRequest): Promise<BrowsedMessage[]> {
    return this.browser.browse(request);
  }

  ack(group: string, receipts: readonly string[]): Promise<SettleResult[]> {
    return this.pop.ack(group, receipts);
  }

  nack(group: string, receipts: readonly string[], redeliverAfterMs?: number, options?: RedeliveryOptions): Promise<SettleResult[]> {
    return this.pop.nack(group, receipts, redeliverAfterMs, options);
  }

  release(group: string, receipts: readonly string[], options?: RedeliveryOptions): Promise<SettleResult[]> {
    return this.pop.release(group, receipts, options);
  }

  changeInvisibleTime(group: string, receipt: string, invisibleMs: number): Promise<{ receipt: string; leaseExpiresAt: number }> {
    return this.pop.changeInvisibleTime(group, receipt, invisibleMs);
  }

  renewLeases(group: string, receipts: readonly string[], invisibleMs: number): Promise<Array<{ receipt: string; leaseExpiresAt: number } | undefined>> {
    return this.pop.renewLeases(group, receipts, invisibleMs);
  }

  releasePerMessageAckLeases(group: string): Promise<number> {
    return this.pop.releaseLeases(group);
  }

  perMessageAckGroups(): string[] {
    return this.pop.groups();
  }

  perMessageAckTopicsOf(group: string): string[] {
    return this.pop.topicsOf(group);
  }

  forgetPerMessageAckGroup(group: string, topic: string): Promise<void> {
    return this.pop.forgetGroup(group, topic);
  }

  async reportConsumeFailure(failure: ConsumeFailure): Promise<boolean> {
    for (const hook of this.hooks) {
      if (hook.onConsumeFailure && (await hook.onConsumeFailure(failure))) return true;
    }
    return false;
  }

  async endTransaction(request: EndTransactionRequest): Promise<void> {
    return this.transactionCoordinator().endTransaction(request);
  }

  async pollTransactionChecks(poll: TransactionCheckPoll): Promise<TransactionCheck[]> {
    return this.transactionCoordinator().pollChecks(poll);
  }

  private transactionCoordinator(): TransactionCoordinator {
    if (!this.transactions) {
      throw new TesseraError(ErrorCode.REQUEST_CODE_NOT_SUPPORTED, 'no transaction plugin is loaded (feature-transaction)');
    }
    return this.transactions;
  }

  /** Appends and wakes the batch's waiters as soon as the engine can serve it, which may be before the ack. */
  private async appendAndWake(batch: readonly AppendMessage[]): Promise<AppendResult[]> {
    let woken = false;
    const wake = () => {
      woken = true;
      this.notifyWaiters(batch);
    };
    const results = await this.replication.append(batch, wake);
    if (!woken) this.notifyWaiters(batch);
    return results;
  }

  /** Wakes long polls once per queue a batch landed on, not once per message. */
  private notifyWaiters(batch: readonly AppendMessage[]): void {
    let lastTopic = '';
    let lastQueue = -1;
    for (const result of batch) {
      if (result.topic !== lastTopic || result.queueId !== lastQueue) {
        lastTopic = result.topic;
        lastQueue = result.queueId;
        this.waiters.notify(lastTopic, lastQueue);
      }
    }
  }

  private async writableTopic(name: string): Promise<TopicConfig> {
    const topic = await this.topics.getOrAutoCreate(name);
    if (!canWrite(topic)) throw new TesseraError(ErrorCode.NO_PERMISSION, `topic "${name}" is not writable`);
    return topic;
  }

  private selectQueue(topic: TopicConfig, requested: number | undefined): number {
    if (requested !== undefined) {
      if (!Number.isInteger(requested) || requested < 0 || requested >= topic.writeQueueCount) {
        throw new TesseraError(
          ErrorCode.INVALID_QUEUE,
          `queue ${requested} of topic "${topic.name}" does not exist (write queues: ${topic.writeQueueCount})`,
        );
      }
      return requested;
    }
    const next = this.nextQueueByTopic.get(topic.name) ?? 0;
    this.nextQueueByTopic.set(topic.name, (next + 1) % topic.writeQueueCount);
    return next % topic.writeQueueCount;
  }
}

function asksForDelay(properties: Readonly<Record<string, string>>): boolean {
  return (
    properties[SystemProperties.DELAY_LEVEL] !== undefined ||
    properties[SystemProperties.DELIVER_AT] !== undefined ||
    properties[SystemProperties.DELAY_MS] !== undefined
  );
}
