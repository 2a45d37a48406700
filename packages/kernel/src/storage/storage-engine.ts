import type { StoredMessage } from '../message/stored-message';

export const StorageEngine = Symbol.for('tessera.StorageEngine');

/** One message to append; the engine assigns its queue offset and log position. */
export interface AppendMessage {
  topic: string;
  queueId: number;
  body: Buffer;
  tag?: string;
  keys?: readonly string[];
  properties?: Readonly<Record<string, string>>;
  bornTimestamp: number;
  flag: number;
  reconsumeTimes: number;
}

/** Where a message was stored: the ack a producer gets back, passed up unchanged. */
export interface AppendResult {
  msgId: string;
  topic: string;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  storeTimestamp: number;
  storeSize: number;
}

/**
 * Skips messages while reading a queue. `matchQueueEntry` sees only what the queue index holds
 * (cheap: no log read); `matchMessage` sees the whole message (exact tag, properties).
 */
export interface ReadFilter {
  matchQueueEntry?(tagHash: number): boolean;
  matchMessage?(message: StoredMessage): boolean;
}

export type ReadStatus =
  /** At least one message was returned. */
  | 'FOUND'
  /** The offset equals the queue's end: nothing new yet. */
  | 'NO_NEW_MESSAGE'
  /** Entries were read but the filter dropped all of them; `nextOffset` moved past them. */
  | 'NO_MATCHED_MESSAGE'
  /** The offset is below the queue's first retained offset (retention deleted it). */
  | 'OFFSET_TOO_SMALL'
  /** The offset is beyond the queue's end. */
  | 'OFFSET_OVERFLOW'
  /** The topic-queue has never been written. */
  | 'NO_QUEUE';

export interface ReadResult {
  status: ReadStatus;
  messages: StoredMessage[];
  /** Where the next read should start. */
  nextOffset: number;
  minOffset: number;
  /** The queue's end: the offset the next appended message will get. */
  maxOffset: number;
}

export interface ReadRequest {
  topic: string;
  queueId: number;
  offset: number;
  maxCount: number;
  /** Stop after this many body bytes (at least one message is always returned if available). */
  maxBytes: number;
  filter?: ReadFilter;
}

export interface QueueRange {
  minOffset: number;
  maxOffset: number;
}

export interface KeyQuery {
  topic: string;
  key: string;
  maxCount: number;
  /** Inclusive store-time bounds in ms; all time when absent. */
  beginTimestamp?: number;
  endTimestamp?: number;
}

export interface RetentionReport {
  deletedSegments: number;
  deletedBytes: number;
}

export interface StorageStats {
  /** Bytes the log holds on disk (or in memory for the memory engine). */
  logBytes: number;
  /** Log position up to which data is durable (fsynced). */
  flushedOffset: number;
  /** Log position up to which data is written. */
  writtenOffset: number;
  segmentCount: number;
}

/**
 * Called once when an appended batch becomes readable, which may be before its append resolves
 * (an engine can serve written records while their fsync runs) and is never after it.
 */
export type OnReadable = () => void;

/**
 * Where messages live. `append` resolves when the batch is durable under the engine's flush
 * policy (SYNC: fsynced; ASYNC: written, fsynced within the configured interval); its messages
 * are readable from `onReadable` on, at the latest when it resolves. Every engine passes the
 * storage conformance suite in @tessera/testing.
 */
export interface StorageEngine {
  readonly name: string;
  /** Opens files, recovers from a crash (truncates a torn tail, rebuilds lagging indexes). */
  open(): Promise<void>;
  /** Flushes everything and releases files. Appends after close are refused. */
  close(): Promise<void>;
  /** Appends a batch in order; results are in the same order as the batch. */
  append(messages: readonly AppendMessage[], onReadable?: OnReadable): Promise<AppendResult[]>;
  read(request: ReadRequest): Promise<ReadResult>;
  queueRange(topic: string, queueId: number): QueueRange;
  /** Queue ids of a topic that hold or held data. */
  queueIds(topic: string): number[];
  /** The first queue offset whose store time is at or after `timestamp`; maxOffset if none. */
  offsetForTimestamp(topic: string, queueId: number, timestamp: number): Promise<number>;
  getByMsgId(msgId: string): Promise<StoredMessage | undefined>;
  queryByKey(query: KeyQuery): Promise<StoredMessage[]>;
  /** Forces everything written so far to disk. */
  flush(): Promise<void>;
  /** Removes a topic's queue indexes; its records age out of the log with retention. */
  deleteTopic(topic: string): Promise<void>;
  /** Deletes whole segments past the retention limits; never the segment being written. */
  enforceRetention(now?: number): Promise<RetentionReport>;
  stats(): StorageStats;
}
