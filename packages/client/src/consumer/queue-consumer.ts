import {
  consumeFailedRequestCodec,
  consumeFailedResponseCodec,
  pullRequestCodec,
  pullResponseCodec,
  RequestCode,
  type PullRequest,
  type PullResponse,
  type WireSubscription,
} from '@tessera/wire';
import type { BrokerConnection } from '../connection/broker-connection';
import type { ReceivedMessage } from '../message/received-message';
import type { ConsumeMode, MessageListener } from './push-consumer-options';

export interface QueueConsumerSettings {
  connection: BrokerConnection;
  group: string;
  topic: string;
  queueId: number;
  /** Sent with every pull; none takes everything. */
  subscription: WireSubscription | undefined;
  listener: MessageListener;
  /**
   * ORDERLY: a failed batch is retried here, in place, so nothing after it overtakes it; only after
   * maxRedeliveries is it reported with CONSUME_FAILED (for a DLQ) and skipped. CONCURRENT reports
   * it at once, so a retry plugin can take it and the queue moves on.
   */
  consumeMode: ConsumeMode;
  /** Called after each batch the listener consumed (ORDERLY members commit then). */
  onConsumed?(): void;
  /** Report failed messages to the broker (CONSUME_FAILED) so its retry plugin can take them; off when broadcasting. */
  handOverFailures: boolean;
  /** Called when the broker took charge of a message the listener failed. */
  onHandedOver?(): void;
  consumeBatchSize: number;
  pullBatchSize: number;
  longPollMs: number;
  redeliveryDelayMs: number;
  maxRedeliveries: number;
  requestTimeoutMs: number;
  onError(error: unknown): void;
}

const MAX_ERROR_BACKOFF_MS = 5000;
/** A pull that found nothing and came back faster than this was not held by the broker. */
const UNHELD_PULL_MS = 100;
/** Pause after an unheld empty pull (the broker ran out of long-poll slots or is stopping). */
const EMPTY_PULL_PAUSE_MS = 200;

interface SentPull {
  offset: number;
  sentAt: number;
  response: Promise<PullResponse>;
}

/**
 * Consumes one assigned queue: long-polls it, hands messages to the listener strictly in queue
 * order, and tracks `consumedOffset` (the next offset to consume), which the owner commits.
 * While the listener works on a batch, the pull for the next one already waits at the broker.
 */
export class QueueConsumer {
  consumedOffset: number;
  committedOffset: number | undefined;
  private pullOffset: number;
  private running = false;
  private loop: Promise<void> | undefined;
  private interrupt: (() => void) | undefined;
  private prefetched: SentPull | undefined;

  constructor(
    private readonly settings: QueueConsumerSettings,
    startOffset: number,
    committedOffset: number | undefined,
  ) {
    this.pullOffset = startOffset;
    this.consumedOffset = startOffset;
    this.committedOffset = committedOffset;
  }

  get queueId(): number {
    return this.settings.queueId;
  }

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops pulling and resolves once the listener call in flight (if any) has returned. */
  async stop(): Promise<void> {
    this.running = false;
    this.interrupt?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const unheldEmpty = await this.pullOnce();
        failures = 0;
        if (unheldEmpty) await this.sleep(EMPTY_PULL_PAUSE_MS);
      } catch (error) {
        if (!this.running) return;
        this.settings.onError(error);
        failures++;
        await this.sleep(Math.min(MAX_ERROR_BACKOFF_MS, 100 * 2 ** failures));
      }
    }
  }

  /** Pulls and consumes one batch; true when the queue had nothing new and the broker did not hold the pull. */
  private async pullOnce(): Promise<boolean> {
    const { settings } = this;
    let pull = this.prefetched;
    this.prefetched = undefined;
    if (pull?.offset !== this.pullOffset) pull = this.sendPull(this.pullOffset);
    const result = await this.interruptible(pull.response);
    if (!result || !this.running) return false;
    const unheld = Date.now() - pull.sentAt < UNHELD_PULL_MS;
    switch (result.status) {
      case 'FOUND': {
        this.prefetched = this.sendPull(result.nextOffset);
        // Its failure surfaces when the loop takes it up, or never if the consumer stops first.
        this.prefetched.response.catch(() => undefined);
        const messages = result.messages;
        for (let i = 0; i < messages.length && this.running; i += settings.consumeBatchSize) {
          const batch = messages.slice(i, i + settings.consumeBatchSize);
          if (!(await this.deliver(batch))) return false;
          this.consumedOffset = batch[batch.length - 1]!.queueOffset + 1;
          settings.onConsumed?.();
        }
        if (this.running) this.pullOffset = result.nextOffset;
        return false;
      }
      case 'NO_MATCHED_MESSAGE':
        this.pullOffset = result.nextOffset;
        this.consumedOffset = result.nextOffset;
        return false;
      case 'NO_NEW_MESSAGE':
        this.pullOffset = result.nextOffset;
        return unheld;
      case 'OFFSET_TOO_SMALL':
        this.pullOffset = this.consumedOffset = result.minOffset;
        return false;
      case 'OFFSET_OVERFLOW':
        this.pullOffset = this.consumedOffset = result.maxOffset;
        return false;
      case 'NO_QUEUE':
        return unheld;
    }
  }

  private sendPull(offset: number): SentPull {
    const { settings } = this;
    const request: PullRequest = {
      group: settings.group,
      topic: settings.topic,
      queueId: settings.queueId,
      offset,
      maxCount: settings.pullBatchSize,
      maxBytes: 4 * 1024 * 1024,
      maxWaitMs: settings.longPollMs,
    };
    if (settings.subscription) request.subscription = settings.subscription;
    const response = settings.connection.request(RequestCode.PULL, pullRequestCodec, request, pullResponseCodec, {
      timeoutMs: settings.requestTimeoutMs + settings.longPollMs,
    });
    return { offset, sentAt: Date.now(), response };
  }

  /** True once the batch is consumed or handed over; false if the consumer stopped first. */
  private async deliver(batch: ReceivedMessage[]): Promise<boolean> {
    const orderly = this.settings.consumeMode === 'ORDERLY';
    let pending = batch;
    for (let attempt = 0; ; attempt++) {
      const failure = await this.callListener(pending);
      if (failure === undefined) return true;
      if (!orderly) {
        pending = await this.unclaimedFailures(pending, failure);
        if (pending.length === 0) return true;
      }
      if (attempt >= this.settings.maxRedeliveries) {
        if (orderly) pending = await this.unclaimedFailures(pending, failure, attempt + 1);
        if (pending.length > 0) {
          this.settings.onError(
            new Error(`skipping ${pending.length} message(s) of queue ${this.queueId} after ${attempt + 1} failed deliveries: ${failure}`),
          );
        }
        return true;
      }
      await this.sleep(this.settings.redeliveryDelayMs);
      if (!this.running) return false;
      pending = pending.map((m) => ({ ...m, reconsumeTimes: m.reconsumeTimes + 1 }));
    }
  }

  /** undefined on SUCCESS, else why it failed. */
  private async callListener(batch: ReceivedMessage[]): Promise<string | undefined> {
    try {
      const status = await this.settings.listener(batch, { queueId: this.queueId });
      return status === 'SUCCESS' ? undefined : 'the listener asked to reconsume later';
    } catch (error) {
      return `the listener threw: ${(error as Error)?.message ?? String(error)}`;
    }
  }

  /**
   * Reports each failed message to the broker; returns those no broker plugin took charge of.
   * `deliveryCount` tells the broker this member already redelivered them itself.
   */
  private async unclaimedFailures(batch: ReceivedMessage[], reason: string, deliveryCount?: number): Promise<ReceivedMessage[]> {
    const { settings } = this;
    if (!settings.handOverFailures) return batch;
    const verdicts = await Promise.all(
      batch.map((message) =>
        settings.connection
          .request(RequestCode.CONSUME_FAILED, consumeFailedRequestCodec, { group: settings.group, msgId: message.msgId, reason, deliveryCount }, consumeFailedResponseCodec)
          .then((r) => r.tookCharge)
          .catch(() => false),
      ),
    );
    if (verdicts.includes(true)) settings.onHandedOver?.();
    return batch.filter((_, i) => !verdicts[i]);
  }

  private sleep(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    return this.interruptible(new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))).then(() => clearTimeout(timer));
  }

  /** `work`'s result, or undefined as soon as stop() is called. */
  private interruptible<T>(work: Promise<T>): Promise<T | undefined> {
    if (!this.running) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve, reject) => {
      this.interrupt = () => resolve(undefined);
      work.then(resolve, reject).finally(() => (this.interrupt = undefined));
    });
  }
}
