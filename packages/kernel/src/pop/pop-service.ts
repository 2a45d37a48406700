import { join } from 'node:path';
import { inject, injectable, multiInject } from 'inversify';
import { BrokerSettings } from '../config/broker-settings';
import { PullWaiters } from '../dispatch/pull-waiters';
import { ErrorCode } from '../errors/error-code';
import { TesseraError } from '../errors/tessera-error';
import { MessageHooks } from '../hooks/message-hooks';
import { readFilterFor } from '../hooks/read-filter-for';
import { Logger } from '../logging/logger';
import { MetricsRegistry } from '../metrics/metrics-registry';
import type { StoredMessage } from '../message/stored-message';
import { ReplicationDriver } from '../replication/replication-driver';
import { PeriodicCheckpoint } from '../storage/periodic-checkpoint';
import { StorageEngine, type ReadFilter } from '../storage/storage-engine';
import { SystemTopicJournal } from '../storage/system-topic-journal';
import type { TopicConfig } from '../topic/topic-config';
import { readableTopic, requireReadQueue } from '../topic/readable-topic';
import { TopicRegistry } from '../topic/topic-registry';
import type { LeasedMessage } from './leased-message';
import { DeadlineTimer } from './deadline-timer';
import { LeaseFailures } from './lease-failures';
import { POP_JOURNAL_TOPIC } from './pop-journal-topic';
import { PopJournalWriter } from './pop-journal-writer';
import { PopMetrics } from './pop-metrics';
import type { InflightCount } from './consumer-inflight';
import type { PopCheckpoint } from './pop-checkpoint';
import type { PendingMessage, PopQueueState } from './pop-queue-state';
import type { PopQueueProgress } from './pop-queue-progress';
import { decodePopReceipt, encodePopReceipt } from './pop-receipt';
import { PopState } from './pop-state';
import type { ReadBudget } from './read-budget';
import type { RedeliveryOptions } from './redelivery-options';
import { readPendingMessages } from './read-pending-messages';
import { recoverPopState } from './recover-pop-state';
import type { ReceiveRequest } from './receive-request';
import type { SettleResult } from './settle-result';
import { validateDelayMs, validateReceiveRequest } from './validate-receive-request';

/**
 * Per-message-ack consumption (the POP model) over the log: leases, acks, nacks, lease expiry
 * and redelivery with delivery counts, durable through a journal in the log itself.
 *
 * Every call that changes state applies the change in memory first and then appends one journal
 * message with all the offsets it touched (lease records before the messages are returned, ack
 * records before the ack is answered). The whole state is checkpointed every
 * popCheckpointIntervalMs and at stop; start loads the checkpoint and replays the journal after it.
 */
@injectable()
export class PopService {
  private readonly state = new PopState();
  private readonly journal: SystemTopicJournal;
  private readonly checkpointer: PeriodicCheckpoint<PopCheckpoint>;
  private readonly deadlineTimer: DeadlineTimer<PendingMessage>;
  private readonly filterHooks: MessageHooks[];
  private readonly failures: LeaseFailures;
  private readonly metrics: PopMetrics;
  private readonly nextQueueByGroupTopic = new Map<string, number>();
  /** Receives parked because their consumer is at its in-flight limit: only these wait for acks. */
  private heldAtInflightLimit = 0;
  private running = false;

  constructor(
    @inject(BrokerSettings) private readonly settings: BrokerSettings,
    @inject(TopicRegistry) private readonly topics: TopicRegistry,
    @inject(StorageEngine) private readonly storage: StorageEngine,
    @inject(ReplicationDriver) private readonly replication: ReplicationDriver,
    @inject(PullWaiters) private readonly waiters: PullWaiters,
    @multiInject(MessageHooks) hooks: MessageHooks[],
    @inject(Logger) private readonly logger: Logger,
    @inject(MetricsRegistry) metrics: MetricsRegistry,
  ) {
    this.metrics = new PopMetrics(metrics);
    this.journal = new SystemTopicJournal(
      {
        appendToSystemTopic: (messages) => replication.append(messages),
        readSystemTopic: (request) => storage.read(request),
        queueRange: (topic, queueId) => storage.queueRange(topic, queueId),
      },
      POP_JOURNAL_TOPIC,
    );
    this.checkpointer = new PeriodicCheckpoint<PopCheckpoint>({
      file: join(settings.dataDir, 'metadata', 'pop-state.json'),
      what: 'per-message-ack',
      logger,
      progress: () => this.journal.endOffset,
      progressOf: (checkpoint) => checkpoint.journalOffset,
      capture: (journalOffset) => this.state.snapshot(journalOffset!),
    });
    this.deadlineTimer = new DeadlineTimer(this.state.deadlines, () => this.onDeadlines());
    this.filterHooks = hooks.filter((h) => h.createReadFilter);
    this.failures = new LeaseFailures({
      settings,
      storage,
      failureHooks: hooks.filter((h) => h.onConsumeFailure),
      waiters,
      logger,
      metrics: this.metrics,
      appendJournal: (writer) => this.appendJournal(writer),
    });
  }

  /** Loads the checkpoint and replays the journal after it; leases that expired meanwhile are visible again. */
  async start(): Promise<void> {
    const { state, checkpointer, journal, storage, logger } = this;
    await recoverPopState({ state, checkpointer, journal, storage, logger }, Date.now());
    this.running = true;
    this.onDeadlines();
    this.deadlineTimer.schedule();
    this.checkpointer.start(this.settings.popCheckpointIntervalMs);
  }

  /** Releases held receives, waits for journal appends and hand-overs in progress, then checkpoints. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.deadlineTimer.stop();
    this.waiters.wakeAll();
    await this.failures.settled();
    await this.journal.settled();
    await this.checkpointer.stop();
  }

  /**
   * Leases up to `maxCount` messages of the topic: due redeliveries first, then messages never
   * delivered, taking from the topic's queues in turn. Holds the request up to `maxWaitMs` when
   * none is available or the consumer is at its in-flight limit.
   */
  async receive(request: ReceiveRequest): Promise<LeasedMessage[]> {
    validateReceiveRequest(request);
    const topic = readableTopic(this.topics, request.topic);
    if (request.queueId !== undefined) requireReadQueue(topic, request.queueId);
    this.requireWritable();
    const filter = request.subscription ? readFilterFor(this.filterHooks, request.subscription) : undefined;
    const { queues, started } = this.queuesInTurn(request, topic);
    if (started) await this.appendJournal(started);
    const deadline = Date.now() + (request.maxWaitMs ?? 0);
    for (;;) {
      // Woken for a message another consumer took, a receive finds nothing here: no pass over the queues then.
      let receivable = this.hasReceivable(queues, request.clientId);
      if (receivable) {
        const leased = await this.collect(request, queues, filter);
        if (leased.length > 0) return leased;
        receivable = this.hasReceivable(queues, request.clientId);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || !this.running || request.signal?.aborted) return [];
      // `receivable` was worked out in this same tick: nothing that lands before parking goes unnoticed.
      const atLimit = this.atInflightLimit(request);
      if (atLimit || !receivable) await this.park(request, remaining, atLimit);
      if (!this.running) return [];
    }
  }

  /** The group's state on a queue if it ever received there: browsing reads it and must not create it. */
  queueState(group: string, topic: string, queueId: number): PopQueueState | undefined {
    return this.state.queuesOf(group, topic)?.get(queueId);
  }

  /** Holds a receive until its topic changes; `atLimit`: it waits for its consumer's acks, not for messages. */
  private async park(request: ReceiveRequest, remainingMs: number, atLimit: boolean): Promise<void> {
    if (atLimit) this.heldAtInflightLimit++;
    try {
      await this.waiters.waitTopic(request.topic, remainingMs, request.signal);
    } finally {
      if (atLimit) this.heldAtInflightLimit--;
    }
  }

  /** Acks leased messages. An ack answered OK is durable; a receipt of an ended lease is STALE. */
  async ack(group: string, receipts: readonly string[]): Promise<SettleResult[]> {
    const entries = this.currentLeases(group, receipts);
    const writer = new PopJournalWriter(group, '');
    const freedTopics = new Set<string>();
    let acked = 0;
    for (const entry of entries) {
      if (!entry) continue;
      acked++;
      entry.queue.ack(entry);
      writer.ack(entry.queue.topic, entry.queue.queueId, entry.offset);
      freedTopics.add(entry.queue.topic);
    }
    // The consumer's in-flight budget shrank: a receive held at its limit may go on. (Waking every
    // receive of the topic on every ack when none is held there costs each a pass over its queues.)
    if (this.heldAtInflightLimit > 0) for (const topic of freedTopics) this.waiters.notifyTopic(topic);
    this.metrics.acked(acked);
    if (!writer.isEmpty) await this.appendJournal(writer);
    return entries.map((entry) => (entry ? 'OK' : 'STALE'));
  }

  /**
   * Ends leases: the messages are visible again after `redeliverAfterMs`, and their next delivery
   * counts one more. A message already delivered popMaxDeliveries times goes to the consume-failure hooks.
   */
  async nack(group: string, receipts: readonly string[], redeliverAfterMs = 0, options: RedeliveryOptions = {}): Promise<SettleResult[]> {
    validateDelayMs('redeliverAfterMs', redeliverAfterMs, 0);
    return this.endLeases(group, receipts, options, (entry, writer, now) => {
      const visibleAt = now + redeliverAfterMs;
      writer.visible(entry.queue.topic, entry.queue.queueId, entry.offset, visibleAt, entry.deliveryCount);
      this.failures.fail(entry, 'nacked', visibleAt, now);
    });
  }

  /**
   * Ends every lease the group holds (on every topic), as a nack would: for fronts whose leases
   * belong to connections, which a broker restart ended, so their messages need not wait out the
   * restored leases. Returns how many leases ended.
   */
  async releaseLeases(group: string): Promise<number> {
    this.requireWritable();
    const now = Date.now();
    const writer = new PopJournalWriter(group, '');
    let released = 0;
    for (const topic of this.state.topicsOf(group)) {
      for (const queue of this.state.queuesOf(group, topic)?.values() ?? []) {
        for (const entry of queue.leasedEntries()) {
          writer.visible(topic, queue.queueId, entry.offset, now, entry.deliveryCount);
          this.failures.fail(entry, 'released', now, now);
          released++;
        }
      }
      this.waiters.notifyTopic(topic);
    }
    this.deadlineTimer.schedule();
    if (!writer.isEmpty) await this.appendJournal(writer);
    return released;
  }

  /**
   * Ends leases as if the deliveries had not happened (an AMQP `released`, a message leased but
   * never sent): visible again at once, delivery count as it was before the lease.
   */
  release(group: string, receipts: readonly string[], options: RedeliveryOptions = {}): Promise<SettleResult[]> {
    return this.endLeases(group, receipts, options, (entry, writer, now) => {
      entry.deliveryCount = Math.max(0, entry.deliveryCount - 1);
      this.metrics.leaseEnded('released');
      writer.visible(entry.queue.topic, entry.queue.queueId, entry.offset, now, entry.deliveryCount);
      entry.queue.release(entry, now, now);
    });
  }

  /** Gives a lease a new expiry, `invisibleMs` from now, under a new receipt; the old one is stale. */
  async changeInvisibleTime(group: string, receipt: string, invisibleMs: number): Promise<{ receipt: string; leaseExpiresAt: number }> {
    const [renewed] = await this.renewLeases(group, [receipt], invisibleMs);
    if (!renewed) throw new TesseraError(ErrorCode.RECEIPT_STALE, `the lease of receipt ${receipt} expired or was settled`);
    return renewed;
  }

  /**
   * Gives each lease a new expiry, `invisibleMs` from now, under a new receipt (the old one is
   * stale), in one journal append per consumer; undefined for a receipt whose lease had ended.
   */
  async renewLeases(group: string, receipts: readonly string[], invisibleMs: number): Promise<Array<{ receipt: string; leaseExpiresAt: number } | undefined>> {
    validateDelayMs('invisibleMs', invisibleMs, 1);
    const entries = this.currentLeases(group, receipts);
    const leaseExpiresAt = Date.now() + invisibleMs;
    const writers = new Map<string, PopJournalWriter>();
    const renewed = entries.map((entry) => {
      if (!entry) return undefined;
      const { topic, queueId } = entry.queue;
      const clientId = entry.consumer!.clientId;
      let writer = writers.get(clientId);
      if (!writer) writers.set(clientId, (writer = new PopJournalWriter(group, clientId)));
      const newLeaseId = this.state.newLeaseId();
      entry.queue.renew(entry, newLeaseId, leaseExpiresAt);
      writer.lease(topic, queueId, entry.offset, newLeaseId, leaseExpiresAt, entry.deliveryCount, entry.bodyBytes);
      return { receipt: encodePopReceipt(topic, queueId, entry.offset, newLeaseId), leaseExpiresAt };
    });
    this.deadlineTimer.schedule();
    await Promise.all([...writers.values()].map((writer) => this.appendJournal(writer)));
    return renewed;
  }

  /**
   * Drops every group's state on a deleted topic, durably (a re-created topic starts at offset 0
   * again, so old cursors would skip its first messages). A no-op when no group received from it.
   */
  async forgetTopic(topic: string): Promise<void> {
    const queues = this.state.queuesOnTopic(topic);
    if (queues.length === 0) return;
    this.requireWritable();
    const byGroup = new Map<string, PopJournalWriter>();
    for (const { group, queueId } of queues) {
      let writer = byGroup.get(group);
      if (!writer) byGroup.set(group, (writer = new PopJournalWriter(group, '')));
      writer.forget(topic, queueId);
      this.state.forget(group, topic, queueId);
    }
    await Promise.all([...byGroup.values()].map((writer) => this.appendJournal(writer)));
  }

  /**
   * Drops one group's state on a topic, durably: its leases end without redelivery and a later
   * receive starts the group afresh (a subscription that ended). A no-op when it has none.
   */
  async forgetGroup(group: string, topic: string): Promise<void> {
    const queues = this.state.queuesOf(group, topic);
    if (!queues) return;
    this.requireWritable();
    const writer = new PopJournalWriter(group, '');
    for (const queueId of [...queues.keys()]) {
      writer.forget(topic, queueId);
      this.state.forget(group, topic, queueId);
    }
    await this.appendJournal(writer);
  }

  /** Topics the group received from. */
  topicsOf(group: string): string[] {
    return this.state.topicsOf(group);
  }

  /** Groups that received messages in per-message-ack mode. */
  groups(): string[] {
    return this.state.groups();
  }

  /** The group's state on each queue of the topic it received from, by queue id. */
  progress(group: string, topic: string): PopQueueProgress[] {
    const queues = this.state.queuesOf(group, topic);
    if (!queues) return [];
    return [...queues.values()]
      .sort((a, b) => a.queueId - b.queueId)
      .map((queue) => ({ queueId: queue.queueId, ackedUpTo: queue.ackedUpTo, cursor: queue.cursor, ...queue.counts() }));
  }

  /** Ends each receipt's current lease as `end` says, journalled in one append; wakes the receives on the topics touched. */
  private async endLeases(
    group: string,
    receipts: readonly string[],
    options: RedeliveryOptions,
    end: (entry: PendingMessage, writer: PopJournalWriter, now: number) => void,
  ): Promise<SettleResult[]> {
    const entries = this.currentLeases(group, receipts);
    const now = Date.now();
    const writer = new PopJournalWriter(group, '');
    const touchedTopics = new Set<string>();
    for (const entry of entries) {
      if (!entry) continue;
      if (options.notToSameConsumer) (entry.refusedBy ??= []).push(entry.consumer!.clientId);
      end(entry, writer, now);
      touchedTopics.add(entry.queue.topic);
    }
    for (const topic of touchedTopics) this.waiters.notifyTopic(topic);
    this.deadlineTimer.schedule();
    if (!writer.isEmpty) await this.appendJournal(writer);
    return entries.map((entry) => (entry ? 'OK' : 'STALE'));
  }

  /**
   * The message each receipt names, where the receipt's lease is its current one (once per call). Decodes all
   * receipts before looking any up, so a malformed one refuses the whole call.
   */
  private currentLeases(group: string, receipts: readonly string[]): Array<PendingMessage | undefined> {
    const decoded = receipts.map(decodePopReceipt);
    this.requireWritable();
    let topic: string | undefined;
    let queues: ReadonlyMap<number, PopQueueState> | undefined;
    const seen = new Set<PendingMessage>();
    return decoded.map((receipt) => {
      if (receipt.topic !== topic) {
        topic = receipt.topic;
        queues = this.state.queuesOf(group, topic);
      }
      const entry = queues?.get(receipt.queueId)?.leased(receipt.offset, receipt.leaseId);
      // A receipt given twice in one call settles once; the second is stale.
      if (!entry || seen.has(entry)) return undefined;
      seen.add(entry);
      return entry;
    });
  }

  /** One pass over the queues: takes what is receivable now, leases it and journals the leases. */
  private async collect(
    request: ReceiveRequest,
    queues: readonly PopQueueState[],
    filter: ReadFilter | undefined,
  ): Promise<LeasedMessage[]> {
    const budget = this.budgetOf(request);
    if (budget.count <= 0 || budget.bytes <= 0) return [];
    const leased: LeasedMessage[] = [];
    const appends: Array<Promise<void>> = [];
    const redeliveries: PendingMessage[] = [];
    for (const queue of queues) if (redeliveries.length < budget.count) queue.takeReady(budget.count - redeliveries.length, request.clientId, redeliveries);
    if (redeliveries.length > 0) {
      let messages: Array<StoredMessage | undefined>;
      try {
        messages = await readPendingMessages(this.storage, request.topic, redeliveries);
      } catch (error) {
        for (const entry of redeliveries) entry.queue.giveBack(entry);
        throw error;
      }
      this.leaseAll(request, redeliveries, messages, budget, leased, appends);
    }
    try {
      for (const queue of queues) {
        if (budget.count <= 0 || budget.bytes <= 0) break;
        if (this.hasNewMessages(queue)) await this.leaseFromCursor(request, queue, filter, budget, leased, appends);
      }
    } finally {
      if (leased.length > 0) this.deadlineTimer.schedule();
      if (appends.length > 0 && request.leasesEndWithConnection) void Promise.all(appends).catch((error: unknown) => this.leaseJournalFailed(error, request));
      else if (appends.length > 0) await Promise.all(appends);
    }
    return leased;
  }

  /**
   * Reads new messages at the queue's cursor (the caller saw some) and leases them. The cursor stays locked until their
   * journal message is issued, so the journal records deliveries from one cursor in offset
   * order: replay relies on that (see PopState.replay).
   */
  private async leaseFromCursor(
    request: ReceiveRequest,
    queue: PopQueueState,
    filter: ReadFilter | undefined,
    budget: ReadBudget,
    leased: LeasedMessage[],
    appends: Array<Promise<void>>,
  ): Promise<void> {
    const unlock = await queue.lockCursor();
    try {
      // Receives woken together queue up on the cursor: those after the first usually find it read.
      if (!this.hasNewMessages(queue)) return;
      const maxCount = Math.min(budget.count, queue.windowRoom(this.settings.popMaxWindowPerQueue));
      const read = await this.storage.read({
        topic: queue.topic,
        queueId: queue.queueId,
        offset: queue.cursor,
        maxCount,
        maxBytes: budget.bytes,
        filter,
      });
      if (read.status === 'OFFSET_TOO_SMALL') {
        this.logger.warn(
          { group: queue.group, topic: queue.topic, queueId: queue.queueId, from: queue.ackedUpTo, to: read.minOffset },
          'retention deleted messages the group had not acked',
        );
        queue.skipBelow(read.minOffset);
        this.checkpointer.markChanged();
        return;
      }
      if (read.status !== 'FOUND' && read.status !== 'NO_MATCHED_MESSAGE') return;
      const taken: PendingMessage[] = [];
      queue.takeRead(read.messages, read.nextOffset, taken);
      if (taken.length > 0) this.leaseAll(request, taken, read.messages, budget, leased, appends);
      else this.checkpointer.markChanged();
    } finally {
      unlock();
    }
  }

  /**
   * Leases reserved messages within the budget and journals it all in one message: the leases,
   * the messages it could not fit (visible again, count unchanged) and those the log no longer
   * holds (acked). Adds the journal append to `appends`, for the receive to wait on.
   */
  private leaseAll(
    request: ReceiveRequest,
    entries: readonly PendingMessage[],
    messages: ReadonlyArray<StoredMessage | undefined>,
    budget: ReadBudget,
    leased: LeasedMessage[],
    appends: Array<Promise<void>>,
  ): void {
    const { group, clientId, topic } = request;
    const writer = new PopJournalWriter(group, clientId);
    const leaseExpiresAt = Date.now() + request.invisibleMs;
    let consumer: InflightCount | undefined;
    let gaveBack = false;
    const leasedBefore = leased.length;
    let redelivered = 0;
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      const { queue, offset } = entry;
      const message = messages[i];
      // Retention may have dropped it from the window while it was being read.
      if (!queue.holds(entry)) continue;
      if (!message) {
        this.logger.warn({ group, topic, queueId: queue.queueId, offset }, 'a message to redeliver is no longer in the log; dropped');
        queue.ack(entry);
        writer.ack(topic, queue.queueId, offset);
        continue;
      }
      const bodyBytes = message.body.length;
      if (budget.count <= 0 || (leased.length > 0 && bodyBytes > budget.bytes)) {
        queue.giveBack(entry);
        writer.visible(topic, queue.queueId, offset, 0, entry.deliveryCount);
        gaveBack = true;
        continue;
      }
      const leaseId = this.state.newLeaseId();
      consumer ??= this.state.inflight.of(group, clientId);
      queue.lease(entry, leaseId, consumer, leaseExpiresAt, bodyBytes);
      writer.lease(topic, queue.queueId, offset, leaseId, leaseExpiresAt, entry.deliveryCount, bodyBytes);
      const receipt = encodePopReceipt(topic, queue.queueId, offset, leaseId);
      leased.push({ message, receipt, deliveryCount: entry.deliveryCount, leaseExpiresAt });
      if (entry.deliveryCount > 1) redelivered++;
      budget.count--;
      budget.bytes -= bodyBytes;
    }
    this.metrics.leased(leased.length - leasedBefore, redelivered);
    if (gaveBack) this.waiters.notifyTopic(topic);
    if (writer.isEmpty) return;
    const appended = this.appendJournal(writer);
    // Handled now, so a failure while the receive still reads is not an unhandled rejection; the receive awaits it.
    appended.catch(() => undefined);
    appends.push(appended);
  }

  /** Whether the consumer has no room for one more message. */
  private atInflightLimit(request: ReceiveRequest): boolean {
    const budget = this.budgetOf(request);
    return budget.count <= 0 || budget.bytes <= 0;
  }

  /** Whether a queue has a message a collect could lease to the consumer now (given room). */
  private hasReceivable(queues: readonly PopQueueState[], clientId: string): boolean {
    return queues.some((queue) => queue.hasReadyFor(clientId) || this.hasNewMessages(queue));
  }

  private hasNewMessages(queue: PopQueueState): boolean {
    return (
      queue.windowRoom(this.settings.popMaxWindowPerQueue) > 0 &&
      this.storage.queueRange(queue.topic, queue.queueId).maxOffset > queue.cursor
    );
  }

  /** What this receive may still take: its own bounds within the consumer's in-flight limits. */
  private budgetOf(request: ReceiveRequest): ReadBudget {
    const inflight = this.state.inflight.peek(request.group, request.clientId);
    return {
      count: Math.min(request.maxCount, this.settings.popMaxInflightMessagesPerConsumer - (inflight?.messages ?? 0)),
      bytes: Math.min(request.maxBytes ?? Number.MAX_SAFE_INTEGER, this.settings.popMaxInflightBytesPerConsumer - (inflight?.bytes ?? 0)),
    };
  }

  /**
   * The group's states on the queues to receive from, starting one queue further on each call, and
   * the journal message of its LATEST starts: a queue it is new on starts at the end of the queue,
   * which a restart could not work out again (an EARLIEST start could).
   */
  private queuesInTurn(request: ReceiveRequest, topic: TopicConfig): { queues: PopQueueState[]; started: PopJournalWriter | undefined } {
    let started: PopJournalWriter | undefined;
    const start = (queueId: number) => {
      this.checkpointer.markChanged();
      const range = this.storage.queueRange(topic.name, queueId);
      if (request.startFrom !== 'LATEST') return range.minOffset;
      (started ??= new PopJournalWriter(request.group, request.clientId)).start(topic.name, queueId, range.maxOffset);
      return range.maxOffset;
    };
    if (request.queueId !== undefined) return { queues: [this.state.queue(request.group, topic.name, request.queueId, start)], started };
    const count = topic.readQueueCount;
    const key = `${request.group}\u0000${topic.name}`;
    const first = (this.nextQueueByGroupTopic.get(key) ?? 0) % count;
    this.nextQueueByGroupTopic.set(key, (first + 1) % count);
    const queues: PopQueueState[] = [];
    for (let i = 0; i < count; i++) queues.push(this.state.queue(request.group, topic.name, (first + i) % count, start));
    return { queues, started };
  }

  /** Refuses a call that would change state this node cannot journal now. */
  private requireWritable(): void {
    if (!this.running) throw new TesseraError(ErrorCode.SHUTTING_DOWN, 'per-message-ack consumption is not running');
    if (!this.replication.isWritable()) throw new TesseraError(ErrorCode.STORE_UNAVAILABLE, 'this broker cannot take writes now');
  }

  /** Expires due leases and makes due delayed redeliveries visible, then wakes the receives waiting on their topics. */
  private onDeadlines(): void {
    const now = Date.now();
    const topics = new Set<string>();
    for (let entry = this.state.deadlines.peek(); entry && entry.dueAt <= now; entry = this.state.deadlines.peek()) {
      this.state.deadlines.pop();
      if (entry.state === 'LEASED') this.failures.fail(entry, 'expired', now, now);
      else entry.queue.becameDue(entry);
      topics.add(entry.queue.topic);
    }
    for (const topic of topics) this.waiters.notifyTopic(topic);
  }

  private leaseJournalFailed(error: unknown, request: ReceiveRequest): void {
    this.logger.warn({ err: error, group: request.group, topic: request.topic }, 'journalling leases failed after they were handed out; a checkpoint covers them');
  }

  /**
   * Appends a journal message. If that fails, the state in memory is ahead of the journal (and
   * replay would read a later delivery from a cursor as acking the offsets before it), so a
   * checkpoint is written at once to cover it.
   */
  private async appendJournal(writer: PopJournalWriter): Promise<void> {
    try {
      await this.journal.append(writer.finish());
    } catch (error) {
      this.checkpointer.markChanged();
      this.checkpointer.writeInBackground();
      throw error;
    }
  }
}
