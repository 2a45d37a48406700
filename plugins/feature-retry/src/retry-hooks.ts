import { inject, injectable } from 'inversify';
import {
  BrokerProvider,
  ErrorCode,
  KERNEL_TOPIC_PREFIX,
  Logger,
  MAX_TOPIC_NAME_LENGTH,
  SystemProperties,
  TesseraError,
  TOPIC_NAME_PATTERN,
  type Broker,
  type ConsumeFailure,
  type MessageHooks,
  type MessageInput,
  type ProduceResult,
  type StoredMessage,
} from '@tessera/kernel';
import { RetryPolicy } from './retry-policy';
import { deadLetterTopicOf, RETRY_TOPIC_PREFIX, retryTopicOf } from './retry-topic-names';
import { withoutRedeliveryMarkers } from './without-redelivery-markers';

/** Longer failure reasons are cut: every dead letter stores one. */
const MAX_REASON_LENGTH = 1024;

/**
 * Takes charge of messages consumers failed. A copy goes to the group's `%RETRY%<group>` topic,
 * delayed by the policy's backoff (feature-delay parks it), until maxReconsumeTimes retries have
 * failed; then a copy goes to `%DLQ%<group>`. Per-message-ack consumers go to the DLQ at once: the
 * broker already redelivered their message popMaxDeliveries times. Every copy keeps the topic and
 * message id of the first delivery. Both topics are created, with one queue, on first use.
 */
@injectable()
export class RetryHooks implements MessageHooks {
  readonly name = 'feature-retry';

  constructor(
    @inject(RetryPolicy) private readonly policy: RetryPolicy,
    @inject(Logger) private readonly logger: Logger,
    @inject(BrokerProvider) private readonly brokerProvider: BrokerProvider,
  ) {}

  async onConsumeFailure(failure: ConsumeFailure): Promise<boolean> {
    const broker = this.brokerProvider();
    requireRetriable(failure);
    const { group, message } = failure;
    const origin = originOf(message, group);
    const retry = message.reconsumeTimes + 1;
    if (failure.deliveryCount === undefined && retry <= this.policy.maxReconsumeTimes) {
      await this.produce(broker, copyOf(message, retryTopicOf(group), retry, { ...origin, ...this.scheduleOf(failure, retry) }));
      return true;
    }
    const failures = failure.deliveryCount ?? retry;
    const reason = failure.reason.slice(0, MAX_REASON_LENGTH);
    const [stored] = await this.produce(
      broker,
      copyOf(message, deadLetterTopicOf(group), message.reconsumeTimes, {
        ...origin,
        [SystemProperties.FAILURE_COUNT]: String(failures),
        [SystemProperties.FAILURE_REASON]: reason,
      }),
    );
    this.logger.info(
      {
        group,
        topic: origin[SystemProperties.REAL_TOPIC],
        originMsgId: origin[SystemProperties.ORIGIN_MSG_ID],
        failures,
        reason,
        deadLetterMsgId: stored!.msgId,
      },
      'a message failed past its retries: moved to the dead-letter queue',
    );
    return true;
  }

  /** The consumer's delay level if it asked for one, else the policy's backoff for this retry. */
  private scheduleOf(failure: ConsumeFailure, retry: number): Record<string, string> {
    if (failure.delayLevel !== undefined) return { [SystemProperties.DELAY_LEVEL]: String(failure.delayLevel) };
    const delayMs = this.policy.backoffMsFor(retry);
    return delayMs > 0 ? { [SystemProperties.DELAY_MS]: String(delayMs) } : {};
  }

  private async produce(broker: Broker, copy: MessageInput): Promise<ProduceResult[]> {
    if (!broker.topics.get(copy.topic)) {
      try {
        await broker.topics.create({ name: copy.topic, writeQueueCount: 1, readQueueCount: 1 });
        this.logger.info({ topic: copy.topic }, 'created a retry or dead-letter topic');
      } catch (error) {
        if (!TesseraError.is(error, ErrorCode.TOPIC_ALREADY_EXISTS)) throw error;
      }
    }
    return broker.produce([copy], { protocol: 'internal' });
  }
}

function requireRetriable({ group, message }: ConsumeFailure): void {
  if (message.topic.startsWith(KERNEL_TOPIC_PREFIX)) {
    throw new TesseraError(ErrorCode.BAD_REQUEST, `messages of the kernel's own topic "${message.topic}" are not retried`);
  }
  const longest = MAX_TOPIC_NAME_LENGTH - RETRY_TOPIC_PREFIX.length;
  if (group.length === 0 || group.length > longest || !TOPIC_NAME_PATTERN.test(group)) {
    throw new TesseraError(
      ErrorCode.BAD_REQUEST,
      `group ${JSON.stringify(group)} cannot have retry and dead-letter topics: a group name must be 1 to ${longest} characters of A-Z a-z 0-9 _ - . % |`,
    );
  }
}

/** The first delivery's topic and message id: a retry copy carries them, any other message is its own origin. */
function originOf(message: StoredMessage, group: string): Record<string, string> {
  const fromRetryTopic = message.topic === retryTopicOf(group);
  return {
    [SystemProperties.REAL_TOPIC]: (fromRetryTopic && message.properties[SystemProperties.REAL_TOPIC]) || message.topic,
    [SystemProperties.ORIGIN_MSG_ID]: (fromRetryTopic && message.properties[SystemProperties.ORIGIN_MSG_ID]) || message.msgId,
  };
}

function copyOf(message: StoredMessage, topic: string, reconsumeTimes: number, markers: Record<string, string>): MessageInput {
  return {
    topic,
    queueId: 0,
    body: message.body,
    tag: message.tag,
    keys: message.keys,
    properties: { ...withoutRedeliveryMarkers(message.properties), ...markers },
    bornTimestamp: message.bornTimestamp,
    reconsumeTimes,
  };
}
