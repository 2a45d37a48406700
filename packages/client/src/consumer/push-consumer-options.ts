import type { ReceivedMessage } from '../message/received-message';

export type ConsumeStatus = 'SUCCESS' | 'RECONSUME_LATER';

export type MessageListener = (
  messages: ReceivedMessage[],
  context: { queueId: number },
) => Promise<ConsumeStatus> | ConsumeStatus;

export type ConsumeFrom = 'earliest' | 'latest' | { timestamp: number };

export interface PushConsumerOptions {
  /** `host:port` of the broker; default 127.0.0.1:10911. */
  server?: string;
  group: string;
  topic: string;
  /** Default `*`. */
  tagExpression?: string;
  /** Default CLUSTERING: each message to one member. BROADCASTING: every member reads everything. */
  messageModel?: 'CLUSTERING' | 'BROADCASTING';
  /** Where a queue without a committed offset starts; default 'latest'. */
  consumeFrom?: ConsumeFrom;
  listener: MessageListener;
  /** Messages per listener call; default 1. */
  consumeBatchSize?: number;
  /** Messages per pull; default 32. */
  pullBatchSize?: number;
  /** Default 3000. */
  heartbeatIntervalMs?: number;
  /** How often the assignment is re-queried; default 2000. */
  rebalanceIntervalMs?: number;
  /** Default 1000. */
  autoCommitIntervalMs?: number;
  clientId?: string;
  /** Wait before redelivering a failed message the broker did not take charge of; default 1000. */
  redeliveryDelayMs?: number;
  /** Local redeliveries of one message before it is skipped with an 'error' event; default 16. */
  maxRedeliveries?: number;
  /** How long a pull is held by the broker when a queue has nothing new; default 10000. */
  longPollMs?: number;
}
