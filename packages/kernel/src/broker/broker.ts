import type { BrokerSettings } from '../config/broker-settings';
import type { GroupMember, GroupMemberHeartbeat } from '../coordination/coordination-service';
import type { AssignmentSyncRequest, AssignmentSyncResult } from '../group/assignment-sync';
import type { OffsetResetTarget } from '../group/offset-reset-target';
import type { QueueProgress } from '../group/queue-progress';
import type { ConsumeFailure, ProduceContext } from '../hooks/message-hooks';
import type { Subscription } from '../hooks/subscription';
import type { MessageInput } from '../message/message-input';
import type { StoredMessage } from '../message/stored-message';
import type { ConsumerOffsetStore } from '../offset/consumer-offset-store';
import type { LeasedMessage } from '../pop/leased-message';
import type { BrowseRequest } from '../pop/browse-request';
import type { BrowsedMessage } from '../pop/browsed-message';
import type { ReceiveRequest } from '../pop/receive-request';
import type { RedeliveryOptions } from '../pop/redelivery-options';
import type { SettleResult } from '../pop/settle-result';
import type { AppendMessage, AppendResult, KeyQuery, QueueRange, ReadRequest, ReadResult } from '../storage/storage-engine';
import type { TopicRegistry } from '../topic/topic-registry';
import type { EndTransactionRequest } from '../transaction/end-transaction-request';
import type { TransactionCheck } from '../transaction/transaction-check';
import type { TransactionCheckPoll } from '../transaction/transaction-check-poll';

export const Broker = Symbol.for('tessera.Broker');

export type ProduceResult = AppendResult;

export interface TimeRangeQuery {
  topic: string;
  beginTimestamp: number;
  endTimestamp: number;
  maxCount: number;
  /** Stop once the messages found hold this many body bytes (the first one always comes back); default 16 MiB. */
  maxBytes?: number;
}

export interface PullRequest {
  topic: string;
  queueId: number;
  offset: number;
  maxCount: number;
  maxBytes: number;
  /** Hold the pull up to this long when there is nothing to read (long polling). */
  maxWaitMs?: number;
  /** Broker-side filtering (tag or SQL92) through the feature hooks. */
  subscription?: Subscription;
  signal?: AbortSignal;
}

/**
 * What protocol adapters and feature plugins call: the kernel's whole surface. Adapters
 * translate their protocol into these calls and never reach storage themselves.
 */
export interface Broker {
  readonly settings: BrokerSettings;
  readonly topics: TopicRegistry;
  readonly offsets: ConsumerOffsetStore;
  /** False once a stop has begun; adapters refuse new work with SHUTTING_DOWN. */
  readonly accepting: boolean;

  /** Stores a batch; resolves when it is durable under the configured policy (the ack). */
  produce(messages: readonly MessageInput[], context: ProduceContext): Promise<ProduceResult[]>;
  /** Removes a topic with its queue indexes, every group's committed offsets and per-message-ack state on it. */
  deleteTopic(name: string): Promise<void>;
  pull(request: PullRequest): Promise<ReadResult>;
  queueRange(topic: string, queueId: number): QueueRange;
  offsetForTimestamp(topic: string, queueId: number, timestamp: number): Promise<number>;
  getMessageById(msgId: string): Promise<StoredMessage | undefined>;
  queryMessagesByKey(query: KeyQuery): Promise<StoredMessage[]>;
  /** Messages of a topic stored within [beginTimestamp, endTimestamp], oldest first per queue, at most maxCount. */
  queryMessagesByTime(query: TimeRangeQuery): Promise<StoredMessage[]>;

  /**
   * Feature plugins' own topics (named `%SYS%...`): appended through replication and read
   * without the topic registry, hooks or permissions. Not for client traffic.
   */
  appendToSystemTopic(messages: readonly AppendMessage[]): Promise<AppendResult[]>;
  readSystemTopic(request: ReadRequest): Promise<ReadResult>;
  /**
   * Long polling for a system topic: true as soon as the queue holds a message at or past
   * `offset` (at once if it does already); false after `maxWaitMs`, on abort, or when the broker
   * begins to stop (a wait begun later lasts its `maxWaitMs`).
   */
  waitForSystemTopic(topic: string, queueId: number, offset: number, maxWaitMs: number, signal?: AbortSignal): Promise<boolean>;

  /**
   * With `clientId` (a group member), refused with QUEUE_NOT_OWNED unless that member owns the
   * queue and no reset happened under it; without, accepted as is (tools, self-managed offsets).
   */
  commitOffset(group: string, topic: string, queueId: number, offset: number, clientId?: string): void;
  committedOffset(group: string, topic: string, queueId: number): number | undefined;

  heartbeat(member: GroupMemberHeartbeat): Promise<void>;
  leaveGroup(group: string, clientId: string): Promise<void>;
  /** Groups with live members or committed offsets. */
  listGroups(): Promise<string[]>;
  groupMembers(group: string): Promise<GroupMember[]>;
  /** Which queues of a topic the member owns now and which it must release (see AssignmentSyncRequest). */
  syncAssignment(request: AssignmentSyncRequest): Promise<AssignmentSyncResult>;
  /** Moves the group's committed offsets; members consuming the queues restart from the new ones. */
  resetOffsets(group: string, topic: string, target: OffsetResetTarget): Promise<Array<{ queueId: number; offset: number }>>;
  /** Committed offset, range, lag and owner per queue, of one topic or of every topic the group uses. */
  groupProgress(group: string, topic?: string): Promise<QueueProgress[]>;

  /** Per-message-ack (POP) consumption: messages leased for an invisible time. */
  receive(request: ReceiveRequest): Promise<LeasedMessage[]>;
  ack(group: string, receipts: readonly string[]): Promise<SettleResult[]>;
  /** Makes the messages visible again (after `redeliverAfterMs`, default now) with delivery count raised. */
  nack(group: string, receipts: readonly string[], redeliverAfterMs?: number, options?: RedeliveryOptions): Promise<SettleResult[]>;
  /** Reads what a per-message-ack group has not acked without leasing it (see QueueBrowser). */
  browse(request: BrowseRequest): Promise<BrowsedMessage[]>;
  /** Makes the messages visible again at once as if not delivered: their delivery count is not raised. */
  release(group: string, receipts: readonly string[], options?: RedeliveryOptions): Promise<SettleResult[]>;
  /** Extends or shortens a lease; the old receipt becomes stale. */
  changeInvisibleTime(group: string, receipt: string, invisibleMs: number): Promise<{ receipt: string; leaseExpiresAt: number }>;
  /** changeInvisibleTime for many leases at once; undefined where a lease had ended. */
  renewLeases(group: string, receipts: readonly string[], invisibleMs: number): Promise<Array<{ receipt: string; leaseExpiresAt: number } | undefined>>;

  /** Ends every lease of a per-message-ack group at once (see PopService.releaseLeases); resolves to how many. */
  releasePerMessageAckLeases(group: string): Promise<number>;
  /** Groups that consumed in per-message-ack mode, and the topics a group consumed. */
  perMessageAckGroups(): string[];
  perMessageAckTopicsOf(group: string): string[];

  /** Drops a group's per-message-ack state on a topic (see PopService.forgetGroup): for subscriptions that end. */
  forgetPerMessageAckGroup(group: string, topic: string): Promise<void>;

  /** A consumer failed a message; feature hooks (retry, DLQ) may take charge of it. */
  reportConsumeFailure(failure: ConsumeFailure): Promise<boolean>;

  /**
   * Transactional messages, served by the plugin bound to TransactionCoordinator; refused with
   * REQUEST_CODE_NOT_SUPPORTED when none is loaded.
   */
  endTransaction(request: EndTransactionRequest): Promise<void>;
  pollTransactionChecks(poll: TransactionCheckPoll): Promise<TransactionCheck[]>;
}
