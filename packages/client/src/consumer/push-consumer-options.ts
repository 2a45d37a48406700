import type { ReceivedMessage } from '../message/received-message';

export type ConsumeStatus = 'SUCCESS' | 'RECONSUME_LATER';

export type MessageListener = (
  messages: ReceivedMessage[],
  context: { queueId: number },
) => Promise<ConsumeStatus> | ConsumeStatus;

export type ConsumeFrom = 'earliest' | 'latest' | { timestamp: number };

/**
 * CONCURRENT hands a failed batch to the broker's retry plugin and moves on. ORDERLY keeps each
 * queue's order: a failed batch is retried in place before anything after it.
 */
export type ConsumeMode = 'CONCURRENT' | 'ORDERLY';

/** How the broker spreads a topic's queues over the group's members; plugins can add more. */
export type AllocationStrategyName = 'average' | 'round-robin' | 'consistent-hash' | 'sticky' | (string & {});

export interface PushConsumerOptions {
  /** `host:port` of the broker; default 127.0.0.1:10911. */
  server?: string;
  group: string;
  topic: string;
  /** `*` (default, everything) or `TagA || TagB`; filtered by the broker's filter plugin. */
  tagExpression?: string;
  /**
   * A SQL92 filter over message properties (`TAGS` is the tag), e.g. `region = 'eu' AND price > 10`,
   * instead of a tag expression; filtered by the broker, which refuses a bad one at start().
   */
  sqlExpression?: string;
  /** Default CLUSTERING: each message to one member. BROADCASTING: every member reads everything. */
  messageModel?: 'CLUSTERING' | 'BROADCASTING';
  /** Default 'average'. Members of a group should agree on it. */
  allocationStrategy?: AllocationStrategyName;
  /** Default CONCURRENT. */
  consumeMode?: ConsumeMode;
  /** Where a queue without a committed offset starts; default 'latest'. */
  consumeFrom?: ConsumeFrom;
  listener: MessageListener;
  /** Messages per listener call; default 1. */
  consumeBatchSize?: number;
  /** Messages per pull; default 32. */
  pullBatchSize?: number;
  /** Default 3000. */
  heartbeatIntervalMs?: number;
  /** Default 1000. ORDERLY members also commit after every consumed batch. */
  autoCommitIntervalMs?: number;
  clientId?: string;
  /**
   * Wait before redelivering a failed batch locally (CONCURRENT: one the broker did not take
   * charge of; ORDERLY: every failed batch); default 1000.
   */
  redeliveryDelayMs?: number;
  /**
   * Local redeliveries of one batch before it is given up: ORDERLY then reports it with
   * CONSUME_FAILED (a DLQ plugin may take it); either mode skips it with an 'error' event if no
   * broker plugin took charge. Default 16.
   */
  maxRedeliveries?: number;
  /** How long a pull is held by the broker when a queue has nothing new; default 10000. */
  longPollMs?: number;
}
