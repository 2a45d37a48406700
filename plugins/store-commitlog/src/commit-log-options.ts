export const CommitLogOptions = Symbol.for('tessera.store-commitlog.CommitLogOptions');

export type FlushMode = 'SYNC' | 'ASYNC';

export interface CommitLogOptions {
  /** Capacity of one commitlog segment file; a record never spans two. */
  segmentBytes: number;
  /** SYNC: an append resolves after fdatasync. ASYNC: after the write; fsync every asyncFlushIntervalMs. */
  flushMode: FlushMode;
  /**
   * SYNC only (ASYNC is always readable once written). `write`: consumers are served a record once
   * it is written, while its fsync runs, as RocketMQ, Kafka and RabbitMQ do; producers are still
   * acked after the fsync, and a power loss can take back what a consumer saw but no producer was
   * acked for. `flush`: a record is served only once fsynced.
   */
  readableAfter: 'write' | 'flush';
  asyncFlushIntervalMs: number;
  /** Segments whose newest record is older than this are deleted. */
  retentionHours: number;
  /** Oldest segments are deleted while the log is larger than this; 0 = no size limit. */
  retentionBytes: number;
  verifyChecksumOnRead: boolean;
  /** Entries (24 bytes each) per consume-queue file. */
  consumeQueueEntriesPerFile: number;
  /** Hash slots of one key-index file; the active file's slot table lives in memory (4 bytes a slot). */
  indexSlotCount: number;
  /** Entries (28 bytes each) a key-index file holds before the next one starts. */
  indexEntriesPerFile: number;
  /** How often consume queues and the key index are fsynced and the checkpoint written. */
  checkpointIntervalMs: number;
  /** How long new consume-queue and key-index entries may wait in memory before they are written to their files. */
  indexFlushIntervalMs: number;
  /** Budget for consume-queue entries held in memory (all queues); past it, appends wait for the queue files. */
  consumeQueueTailBytes: number;
  /** The newest log bytes kept in memory to serve tailing reads without disk reads; 0 turns it off. */
  readCacheBytes: number;
}

export const commitLogOptionsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    segmentBytes: { type: 'integer', minimum: 4096, maximum: 2 ** 40, default: 1073741824 },
    flushMode: { type: 'string', enum: ['SYNC', 'ASYNC'], default: 'SYNC' },
    readableAfter: { type: 'string', enum: ['write', 'flush'], default: 'write' },
    asyncFlushIntervalMs: { type: 'integer', minimum: 1, default: 200 },
    retentionHours: { type: 'number', exclusiveMinimum: 0, default: 72 },
    retentionBytes: { type: 'integer', minimum: 0, default: 0 },
    verifyChecksumOnRead: { type: 'boolean', default: true },
    consumeQueueEntriesPerFile: { type: 'integer', minimum: 16, default: 300000 },
    indexSlotCount: { type: 'integer', minimum: 16, default: 1000000 },
    indexEntriesPerFile: { type: 'integer', minimum: 16, default: 4000000 },
    checkpointIntervalMs: { type: 'integer', minimum: 10, default: 1000 },
    indexFlushIntervalMs: { type: 'integer', minimum: 1, default: 200 },
    consumeQueueTailBytes: { type: 'integer', minimum: 65536, default: 33554432 },
    readCacheBytes: { type: 'integer', minimum: 0, default: 67108864 },
  },
} as const;

export const defaultCommitLogOptions: CommitLogOptions = {
  segmentBytes: 1073741824,
  flushMode: 'SYNC',
  readableAfter: 'write',
  asyncFlushIntervalMs: 200,
  retentionHours: 72,
  retentionBytes: 0,
  verifyChecksumOnRead: true,
  consumeQueueEntriesPerFile: 300000,
  indexSlotCount: 1000000,
  indexEntriesPerFile: 4000000,
  checkpointIntervalMs: 1000,
  indexFlushIntervalMs: 200,
  consumeQueueTailBytes: 33554432,
  readCacheBytes: 67108864,
};
