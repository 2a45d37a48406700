import type { AppendMessage, AppendResult, OnReadable } from '../storage/storage-engine';

export const ReplicationDriver = Symbol.for('tessera.ReplicationDriver');

/**
 * The write path is kernel → replication → storage. A local driver writes straight through;
 * a Raft driver appends to a quorum first, then applies to storage. Either way `append`
 * resolves only when the batch is durable under the configured policy, and `onReadable` runs once
 * its messages may be served (for Raft: once committed by a quorum and applied).
 */
export interface ReplicationDriver {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  append(messages: readonly AppendMessage[], onReadable?: OnReadable): Promise<AppendResult[]>;
  /** False while this node cannot take writes (a follower, or a leader without quorum). */
  isWritable(): boolean;
}
