import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import {
  BrokerProvider,
  BrokerSettings,
  ErrorCode,
  KERNEL_TOPIC_PREFIX,
  Logger,
  PeriodicCheckpoint,
  SystemProperties,
  TesseraError,
  type AppendMessage,
  type Broker,
  type EndTransactionRequest,
  type LifecycleContribution,
  type MessageHooks,
  type MessageInput,
  type ProduceContext,
  type StoredMessage,
  type TransactionCheck,
  type TransactionCheckPoll,
  type TransactionCoordinator,
} from '@tessera/kernel';
import { asSentByProducer } from './as-sent-by-producer';
import { committedMessageOf } from './committed-message-of';
import { DecisionLog, type StoredDecision } from './decision-log';
import { FeatureTransactionOptions } from './feature-transaction-options';
import { HalfTail } from './half-tail';
import { LiveProducers } from './live-producers';
import type { OpenHalf } from './open-half';
import { OpenHalves } from './open-halves';
import { isHalfMessage, parkHalfMessage } from './park-half-message';
import type { TransactionCheckpoint } from './transaction-checkpoint';
import { HALF_TOPIC, TRANSACTION_QUEUE_ID } from './transaction-topics';

interface Running {
  broker: Broker;
  tail: HalfTail;
  decisions: DecisionLog;
}

/**
 * Transactional messages, RocketMQ's way. A half message is parked in the half topic as it is
 * stored (onProduce), so its ack means it is durable and consumers never see it. Its producer
 * then commits (the message is produced to its real topic) or rolls back; each decision is
 * recorded in the decision log. A half with no decision `transactionTimeoutMs` after it was
 * stored is checked back through a live producer of its group every `checkIntervalMs`, and rolled
 * back after `checkMax` checks. Memory holds the open halves only; a checkpoint of them plus the
 * two logs written since rebuild them at start.
 */
@injectable()
export class TransactionService implements MessageHooks, TransactionCoordinator, LifecycleContribution {
  readonly name = 'feature-transaction';
  private readonly open: OpenHalves;
  private readonly producers: LiveProducers;
  private readonly checkpointer: PeriodicCheckpoint<TransactionCheckpoint>;
  private readonly deciding = new Set<Promise<void>>();
  private running: Running | undefined;
  private stopped = false;
  private checkTimer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    @inject(FeatureTransactionOptions) private readonly options: FeatureTransactionOptions,
    @inject(BrokerSettings) settings: BrokerSettings,
    @inject(Logger) private readonly logger: Logger,
    @inject(BrokerProvider) private readonly brokerProvider: BrokerProvider,
  ) {
    this.open = new OpenHalves(options.checkIntervalMs);
    this.producers = new LiveProducers(options.producerLivenessMs);
    this.checkpointer = new PeriodicCheckpoint<TransactionCheckpoint>({
      file: join(settings.dataDir, 'metadata', 'transaction-state.json'),
      what: 'transaction',
      logger,
      capture: () => this.snapshot(),
    });
  }

  /** Undecided half messages tracked now (those stored in the last moments may not be yet). */
  get openTransactionCount(): number {
    return this.open.size;
  }

  /** Rebuilds the open transactions from the checkpoint and the logs, then starts checking them. */
  async onStart(): Promise<void> {
    const broker = this.brokerProvider();
    const checkpoint = this.checkpointer.load();
    const halves = broker.queueRange(HALF_TOPIC, TRANSACTION_QUEUE_ID);
    const now = Date.now();
    let lost = 0;
    for (const [queueOffset, msgId, transactionId, producerGroup, storeTimestamp, checks] of checkpoint?.open ?? []) {
      if (queueOffset < halves.minOffset || queueOffset >= halves.maxOffset) {
        lost++;
        continue;
      }
      const nextCheckAt = checks === 0 ? storeTimestamp + this.options.transactionTimeoutMs : now;
      this.open.add({ msgId, queueOffset, transactionId, producerGroup, storeTimestamp, checks, nextCheckAt });
    }
    if (lost > 0) this.logger.warn({ lost }, 'open transactions whose half messages are no longer in the log were dropped');
    const tail = new HalfTail(broker, Math.min(checkpoint?.halfOffset ?? 0, halves.maxOffset), (half) => this.track(half));
    await tail.catchUp();
    const decisions = new DecisionLog(broker);
    await decisions.replay(checkpoint?.decisionOffset ?? 0, (_decision, halfMsgId) => this.open.delete(halfMsgId));
    this.running = { broker, tail, decisions };
    this.checkpointer.markChanged();
    this.checkpointer.start(this.options.checkpointIntervalMs);
    const { transactionTimeoutMs, checkIntervalMs } = this.options;
    this.checkTimer = setInterval(() => void this.runChecks(), Math.min(1000, Math.max(10, Math.floor(Math.min(transactionTimeoutMs, checkIntervalMs) / 4))));
    this.checkTimer.unref();
    this.logger.info({ open: this.open.size }, 'transactions recovered');
  }

  async onStop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.checkTimer);
    this.producers.releaseAll();
    await Promise.allSettled([...this.deciding]);
    await this.checkpointer.stop();
  }

  onProduce(batch: AppendMessage[], context: ProduceContext): void {
    let halves = 0;
    for (const message of batch) {
      if (!isHalfMessage(message) || message.topic.startsWith(KERNEL_TOPIC_PREFIX)) continue;
      parkHalfMessage(message, context.producerGroup);
      halves++;
    }
    if (halves > 0) this.admit(halves);
  }

  async endTransaction(request: EndTransactionRequest): Promise<void> {
    const { tail } = this.requireRunning();
    requireName('producerGroup', request.producerGroup);
    requireName('transactionId', request.transactionId);
    requireName('halfMsgId', request.halfMsgId);
    let half = this.open.get(request.halfMsgId);
    if (!half) {
      await tail.catchUp();
      half = this.open.get(request.halfMsgId);
    }
    if (!half) return this.requireDecidedHalf(request);
    if (half.transactionId !== request.transactionId || half.producerGroup !== request.producerGroup) {
      throw new TesseraError(
        ErrorCode.BAD_REQUEST,
        `half message ${request.halfMsgId} is not the half of transaction ${request.transactionId} in producer group ${request.producerGroup}`,
      );
    }
    if (request.decision === 'UNKNOWN') return;
    return this.decide(half, request.decision);
  }

  async pollChecks(poll: TransactionCheckPoll): Promise<TransactionCheck[]> {
    this.requireRunning();
    requireName('producerGroup', poll.producerGroup);
    requireName('clientId', poll.clientId);
    const halfMsgIds = await this.producers.poll(poll.producerGroup, poll.clientId, poll.maxWaitMs, poll.signal);
    const checks: TransactionCheck[] = [];
    for (const halfMsgId of halfMsgIds) {
      const half = this.open.get(halfMsgId);
      if (!half || half.resolving) continue;
      const message = await this.readHalf(half);
      if (message) checks.push({ transactionId: half.transactionId, halfMsgId, message: asSentByProducer(message) });
    }
    return checks;
  }

  private admit(halves: number): void {
    const tail = this.running?.tail;
    if (!tail || this.stopped) {
      throw new TesseraError(ErrorCode.SYSTEM_BUSY, 'half messages are not taken now: the transaction plugin is not running');
    }
    const open = this.open.size + tail.untracked;
    if (open + halves > this.options.maxOpenTransactions) {
      throw new TesseraError(
        ErrorCode.SYSTEM_BUSY,
        `${open} transactions are open and this broker holds at most ${this.options.maxOpenTransactions} (maxOpenTransactions); end some before sending more half messages`,
      );
    }
  }

  private track(half: StoredMessage): void {
    this.open.add({
      msgId: half.msgId,
      queueOffset: half.queueOffset,
      transactionId: half.properties[SystemProperties.TRANSACTION_ID]!,
      producerGroup: half.properties[SystemProperties.PRODUCER_GROUP]!,
      storeTimestamp: half.storeTimestamp,
      checks: 0,
      nextCheckAt: half.storeTimestamp + this.options.transactionTimeoutMs,
    });
    this.checkpointer.markChanged();
  }

  /** A decision on a half that is not open is accepted (and changes nothing) when that half exists, i.e. was decided before. */
  private async requireDecidedHalf(request: EndTransactionRequest): Promise<void> {
    const message = await this.requireRunning().broker.getMessageById(request.halfMsgId);
    const properties = message?.properties;
    if (
      message?.topic !== HALF_TOPIC ||
      properties?.[SystemProperties.TRANSACTION_ID] !== request.transactionId ||
      properties[SystemProperties.PRODUCER_GROUP] !== request.producerGroup
    ) {
      throw new TesseraError(
        ErrorCode.MESSAGE_NOT_FOUND,
        `no half message ${request.halfMsgId} of transaction ${request.transactionId} in producer group ${request.producerGroup}`,
      );
    }
  }

  /** One decision per half: a second one while the first is being stored waits for it; once its message is stored, it is a commit. */
  private decide(half: OpenHalf, decision: StoredDecision): Promise<void> {
    if (!half.resolving) {
      const resolving: Promise<void> = this.storeDecision(half, half.realMessageStored ? 'COMMIT' : decision).finally(() => {
        half.resolving = undefined;
        this.deciding.delete(resolving);
      });
      half.resolving = resolving;
      this.deciding.add(resolving);
    }
    return half.resolving;
  }

  private async storeDecision(half: OpenHalf, decision: StoredDecision): Promise<void> {
    const { broker, decisions } = this.requireRunning();
    half.decisionLogFloor ??= decisions.endOffset;
    if (decision === 'COMMIT' && !half.realMessageStored) {
      const stored = await this.readHalf(half);
      if (!stored) {
        await decisions.record('ROLLBACK', half.msgId);
        this.forget(half);
        throw new TesseraError(
          ErrorCode.MESSAGE_NOT_FOUND,
          `half message ${half.msgId} is no longer in the log (retention deleted it): transaction ${half.transactionId} is rolled back`,
        );
      }
      await broker.produce([this.committedMessage(broker, stored)], { protocol: 'internal', producerGroup: half.producerGroup });
      half.realMessageStored = true;
    }
    await decisions.record(decision, half.msgId);
    this.forget(half);
  }

  private committedMessage(broker: Broker, half: StoredMessage): MessageInput {
    const message = committedMessageOf(half);
    const topic = broker.topics.get(message.topic);
    // The topic lost write queues since the half was sent: let the kernel pick one of those left.
    if (topic && message.queueId! >= topic.writeQueueCount) message.queueId = undefined;
    return message;
  }

  private forget(half: OpenHalf): void {
    this.open.delete(half.msgId);
    this.checkpointer.markChanged();
  }

  private async readHalf(half: OpenHalf): Promise<StoredMessage | undefined> {
    const read = await this.requireRunning().broker.readSystemTopic({
      topic: HALF_TOPIC,
      queueId: TRANSACTION_QUEUE_ID,
      offset: half.queueOffset,
      maxCount: 1,
      maxBytes: 1,
    });
    const message = read.messages[0];
    return message?.queueOffset === half.queueOffset ? message : undefined;
  }

  private async runChecks(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      await this.requireRunning().tail.catchUp();
      const now = Date.now();
      this.producers.sweep(now);
      for (const half of this.open.takeDue(now)) {
        if (half.resolving) continue;
        this.checkpointer.markChanged();
        if (half.checks >= this.options.checkMax) {
          this.rollBackUndecided(half);
          continue;
        }
        half.checks++;
        if (!this.producers.dispatch(half.producerGroup, half.msgId, now)) {
          this.logger.debug({ producerGroup: half.producerGroup, halfMsgId: half.msgId, checks: half.checks }, 'no live producer to check a transaction with');
        }
      }
    } catch (error) {
      this.logger.error({ err: error }, 'checking open transactions failed');
    } finally {
      this.checking = false;
    }
  }

  private rollBackUndecided(half: OpenHalf): void {
    const about = { transactionId: half.transactionId, producerGroup: half.producerGroup, halfMsgId: half.msgId, checks: half.checks };
    this.decide(half, 'ROLLBACK').then(
      () => this.logger.warn(about, 'rolled back a transaction still undecided after checkMax checks'),
      (error: unknown) => this.logger.error({ ...about, err: error }, 'rolling back an undecided transaction failed; will retry'),
    );
  }

  /** Taken only once running (the checkpointer starts then), and again at stop. */
  private snapshot(): TransactionCheckpoint {
    const { tail, decisions } = this.running!;
    let decisionOffset = decisions.endOffset;
    const open: TransactionCheckpoint['open'] = [];
    for (const half of this.open.values()) {
      open.push([half.queueOffset, half.msgId, half.transactionId, half.producerGroup, half.storeTimestamp, half.checks]);
      if (half.decisionLogFloor !== undefined && half.decisionLogFloor < decisionOffset) decisionOffset = half.decisionLogFloor;
    }
    return { version: 1, halfOffset: tail.offset, decisionOffset, open };
  }

  private requireRunning(): Running {
    if (this.stopped) throw new TesseraError(ErrorCode.SHUTTING_DOWN, 'the broker is shutting down');
    if (!this.running) throw new TesseraError(ErrorCode.SYSTEM_BUSY, 'the transaction plugin has not started yet');
    return this.running;
  }
}

function requireName(field: string, value: string): void {
  if (!value) throw new TesseraError(ErrorCode.BAD_REQUEST, `${field} must not be empty`);
}
