import { crc32c } from '@node-rs/crc32';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { inject, injectable, optional } from 'inversify';
import {
  BrokerSettings,
  decodeMessageId,
  ErrorCode,
  Logger,
  MetricsRegistry,
  TesseraError,
  TOPIC_NAME_PATTERN,
  type AppendMessage,
  type AppendResult,
  type KeyQuery,
  type OnReadable,
  type QueueRange,
  type ReadRequest,
  type ReadResult,
  type RetentionReport,
  type StorageEngine,
  type StorageStats,
  type StoredMessage,
} from '@tessera/kernel';
import { CheckpointFile, type Checkpoint } from './checkpoint-file';
import { CommitLogMetrics } from './commit-log-metrics';
import { CommitLog } from './commit-log';
import { CommitLogRecovery } from './commit-log-recovery';
import { CommitLogWriter } from './commit-log-writer';
import { CommitLogOptions } from './commit-log-options';
import { ConsumeQueue, type TailMemory } from './consume-queue';
import { FileOpener, openFile } from './file-opener';
import { IndexFlusher } from './index-flusher';
import { KeyIndex } from './key-index';
import { LogReader } from './log-reader';
import { measureRecord } from './measure-record';
import { RecentLogCache } from './recent-log-cache';
import { RecordLayout } from './record-layout';

const MAX_TOPIC_BYTES = 255;
const MAX_CACHED_TOPICS = 10_000;

/**
 * RocketMQ-style storage: every message appended to one commitlog (segment files), a consume
 * queue per topic-queue indexing it, a hash index by key; group commit on the write path,
 * checkpointed recovery that truncates a torn or corrupt tail, and retention by age and size.
 */
@injectable()
export class CommitLogStorageEngine implements StorageEngine {
  readonly name = 'commitlog';
  private readonly root: string;
  private readonly storeId: number;
  private readonly log: CommitLog;
  private readonly keyIndex: KeyIndex;
  private readonly checkpointFile: CheckpointFile;
  private readonly queues = new Map<string, Map<number, ConsumeQueue>>();
  private readonly topicRemovals = new Map<string, Promise<unknown>>();
  private deletedTopics: Record<string, number> = {};
  private state: 'new' | 'opening' | 'open' | 'closed' = 'new';

  private readonly writer: CommitLogWriter;
  private readonly flusher: IndexFlusher;
  private readonly tailMemory: TailMemory;
  private readonly reader: LogReader;
  private checkpointTimer: NodeJS.Timeout | undefined;
  private checkpointing: Promise<void> | undefined;
  /** The last checkpoint written, to skip rewriting an unchanged one. */
  private lastCheckpoint = '';
  private readonly topicBytes = new Map<string, Buffer>();

  constructor(
    @inject(CommitLogOptions) private readonly options: CommitLogOptions,
    @inject(BrokerSettings) settings: BrokerSettings,
    @inject(Logger) private readonly logger: Logger,
    @inject(MetricsRegistry) metrics: MetricsRegistry,
    @inject(FileOpener) @optional() fileOpener?: FileOpener,
  ) {
    this.root = settings.dataDir;
    this.storeId = crc32c(settings.brokerName);
    this.log = new CommitLog(join(this.root, 'commitlog'), options.segmentBytes, fileOpener ?? openFile);
    this.keyIndex = new KeyIndex(join(this.root, 'index'), options.indexSlotCount, options.indexEntriesPerFile);
    this.checkpointFile = new CheckpointFile(join(this.root, 'checkpoint'));
    const cache = new RecentLogCache(options.readCacheBytes);
    this.reader = new LogReader(this.log, cache, this.storeId, options.verifyChecksumOnRead, logger);
    this.tailMemory = { bytes: 0, unwritten: 0, limitBytes: options.consumeQueueTailBytes, pressure: false };
    this.flusher = new IndexFlusher(
      this.keyIndex,
      this.tailMemory,
      options.indexFlushIntervalMs,
      logger,
      () => this.writer.visibleOffset,
      () => this.writer.barrier(),
    );
    this.writer = new CommitLogWriter(
      this.log,
      this.keyIndex,
      options,
      logger,
      {
        queueFor: (topic, queueId) => this.queueFor(topic, queueId),
        topicBuffer: (topic) => this.topicBuffer(topic),
        storeId: this.storeId,
      },
      cache,
      this.flusher,
      new CommitLogMetrics(metrics),
    );
  }

  async open(): Promise<void> {
    if (this.state !== 'new') throw new TesseraError(ErrorCode.STORE_UNAVAILABLE, `the commitlog cannot open: it is ${this.state}`);
    this.state = 'opening';
    const startedAt = Date.now();
    await mkdir(this.root, { recursive: true });
    await this.log.open();
    const checkpoint = await this.checkpointFile.read();
    this.deletedTopics = { ...(checkpoint?.deletedTopics ?? {}) };
    const logStart = this.log.startOffset;
    await this.loadQueues(logStart);
    const rebuildFrom = this.chooseRebuildStart(checkpoint, logStart);
    for (const queue of this.allQueues()) await queue.truncateFromLogPosition(rebuildFrom);
    await this.keyIndex.open(rebuildFrom);
    const recovery = new CommitLogRecovery(this.log, this.keyIndex, this.logger, this.storeId, this.deletedTopics, (topic, queueId) =>
      this.queueFor(topic, queueId),
    );
    const { end, lastStoreTimestamp } = await recovery.run(rebuildFrom);
    if (end < rebuildFrom) for (const queue of this.allQueues()) await queue.truncateFromLogPosition(end);
    this.writer.start(end, lastStoreTimestamp);
    this.state = 'open';
    await this.writeCheckpoint();
    this.startCheckpoints();
    this.logger.info(
      { end, logStart: this.log.startOffset, rebuiltFrom: rebuildFrom, queues: this.allQueues().length, ms: Date.now() - startedAt },
      'commitlog opened',
    );
  }

  async close(): Promise<void> {
    if (this.state !== 'open') {
      this.state = 'closed';
      return;
    }
    this.state = 'closed';
    clearInterval(this.checkpointTimer);
    await this.writer.stop();
    await this.flusher.stop();
    await this.checkpointing;
    await this.writeCheckpoint();
    for (const queue of this.allQueues()) await queue.close();
    await this.keyIndex.close();
    await this.log.close();
  }

  append(messages: readonly AppendMessage[], onReadable?: OnReadable): Promise<AppendResult[]> {
    if (this.state !== 'open') {
      return Promise.reject(new TesseraError(ErrorCode.STORE_UNAVAILABLE, `the commitlog is ${this.state === 'closed' ? 'closed' : 'not open'}`));
    }
    if (!Array.isArray(messages)) return Promise.reject(badRequest('append takes an array of messages'));
    const gate = this.flusher.appendGate;
    if (gate) return gate.then(() => this.append(messages, onReadable));
    const sizes = new Array<number>(messages.length);
    try {
      for (let i = 0; i < messages.length; i++) sizes[i] = this.measure(messages[i]!);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.writer.append(messages, sizes, onReadable);
  }

  async read(request: ReadRequest): Promise<ReadResult> {
    validateRead(request);
    const queue = this.queues.get(request.topic)?.get(request.queueId);
    if (!queue || queue.maxOffset === 0) return { status: 'NO_QUEUE', messages: [], nextOffset: 0, minOffset: 0, maxOffset: 0 };
    return this.reader.read(queue, request);
  }

  queueRange(topic: string, queueId: number): QueueRange {
    const queue = this.queues.get(topic)?.get(queueId);
    return queue ? { minOffset: queue.minOffset, maxOffset: queue.maxOffset } : { minOffset: 0, maxOffset: 0 };
  }

  queueIds(topic: string): number[] {
    const byId = this.queues.get(topic);
    if (!byId) return [];
    return [...byId.values()].filter((queue) => queue.maxOffset > 0).map((queue) => queue.queueId).sort((a, b) => a - b);
  }

  async offsetForTimestamp(topic: string, queueId: number, timestamp: number): Promise<number> {
    const queue = this.queues.get(topic)?.get(queueId);
    return queue ? queue.offsetForTimestamp(timestamp) : 0;
  }

  async getByMsgId(msgId: string): Promise<StoredMessage | undefined> {
    const decoded = typeof msgId === 'string' ? decodeMessageId(msgId) : undefined;
    if (!decoded || decoded.storeId !== this.storeId) return undefined;
    return this.visibleMessageAt(decoded.commitLogOffset);
  }

  async queryByKey(query: KeyQuery): Promise<StoredMessage[]> {
    if (typeof query.topic !== 'string' || typeof query.key !== 'string') {
      throw new TesseraError(ErrorCode.BAD_REQUEST, 'a key query needs a topic and a key');
    }
    await this.writer.barrier();
    await this.flusher.flush();
    const begin = query.beginTimestamp ?? 0;
    const end = query.endTimestamp ?? Number.MAX_SAFE_INTEGER;
    const deletedBefore = this.deletedTopics[query.topic] ?? -1;
    const found: StoredMessage[] = [];
    const seen = new Set<number>();
    for await (const position of this.keyIndex.candidates(query.topic, query.key, begin, end)) {
      if (found.length >= query.maxCount) break;
      if (seen.has(position) || position < deletedBefore) continue;
      seen.add(position);
      const message = await this.visibleMessageAt(position);
      if (message && message.topic === query.topic && message.keys.includes(query.key)) found.push(message);
    }
    return found;
  }

  flush(): Promise<void> {
    return this.writer.flush();
  }

  async deleteTopic(topic: string): Promise<void> {
    await this.writer.drain();
    await this.flusher.flush();
    const byId = this.queues.get(topic);
    this.queues.delete(topic);
    for (const queue of byId?.values() ?? []) this.flusher.forget(queue);
    this.deletedTopics[topic] = this.writer.nextPosition;
    const removal = Promise.all([...(byId?.values() ?? [])].map((queue) => queue.remove()));
    this.topicRemovals.set(topic, removal);
    try {
      await removal;
    } finally {
      if (this.topicRemovals.get(topic) === removal) this.topicRemovals.delete(topic);
    }
    if (this.state === 'open') await this.writeCheckpoint();
  }

  async enforceRetention(now: number = Date.now()): Promise<RetentionReport> {
    const report: RetentionReport = { deletedSegments: 0, deletedBytes: 0 };
    if (this.state !== 'open') return report;
    const maxAgeMs = this.options.retentionHours * 3_600_000;
    while (this.log.segmentCount > 1) {
      const oldest = this.log.startOffset;
      // Never the segment being written, nor one an in-flight write may still touch.
      if (oldest + this.options.segmentBytes > this.writer.visibleOffset || this.log.segmentStartFor(this.writer.nextPosition) === oldest) break;
      const expired = (await this.log.segmentModifiedAt(oldest)) < now - maxAgeMs;
      const oversized = this.options.retentionBytes > 0 && this.log.fileBytes > this.options.retentionBytes;
      if (!expired && !oversized) break;
      report.deletedBytes += await this.log.deleteOldestSegment();
      report.deletedSegments++;
    }
    if (report.deletedSegments > 0) {
      const logStart = this.log.startOffset;
      for (const queue of this.allQueues()) await queue.trimBelow(logStart);
      await this.keyIndex.trimBelow(logStart);
      for (const [topic, position] of Object.entries(this.deletedTopics)) if (position <= logStart) delete this.deletedTopics[topic];
      this.logger.info({ ...report, logStart }, 'retention deleted commitlog segments');
    }
    return report;
  }

  stats(): StorageStats {
    return {
      logBytes: this.log.fileBytes,
      flushedOffset: this.writer.flushedOffset,
      writtenOffset: this.writer.writtenOffset,
      segmentCount: this.log.segmentCount,
    };
  }

  // ---- write path ----

  private measure(message: AppendMessage): number {
    if (typeof message !== 'object' || message === null) throw badRequest('a message must be an object');
    const topic = this.topicBuffer(message.topic);
    if (!Number.isInteger(message.queueId) || message.queueId < 0 || message.queueId > 0x7fffffff) {
      throw badRequest(`queue id ${message.queueId} is not a non-negative integer`);
    }
    if (!Buffer.isBuffer(message.body)) throw badRequest('a message body must be a Buffer');
    if (!Number.isSafeInteger(message.bornTimestamp) || message.bornTimestamp < 0) throw badRequest('bornTimestamp must be a non-negative integer');
    if (!Number.isInteger(message.flag) || message.flag < -0x80000000 || message.flag > 0x7fffffff) throw badRequest('flag must be a 32-bit integer');
    if (!Number.isInteger(message.reconsumeTimes) || message.reconsumeTimes < 0 || message.reconsumeTimes > 0xffffffff) {
      throw badRequest('reconsumeTimes must be a non-negative integer');
    }
    const size = measureRecord(message, topic.length);
    if (size > this.options.segmentBytes - RecordLayout.END_OF_SEGMENT_BYTES) {
      throw new TesseraError(ErrorCode.MESSAGE_TOO_LARGE, `a record of ${size} bytes does not fit a ${this.options.segmentBytes}-byte segment`);
    }
    return size;
  }

  private startCheckpoints(): void {
    this.checkpointTimer = setInterval(() => {
      if (!this.checkpointing && this.state === 'open') {
        this.checkpointing = this.writeCheckpoint()
          .catch((error: unknown) => this.logger.error({ err: error }, 'commitlog checkpoint failed'))
          .finally(() => (this.checkpointing = undefined));
      }
    }, this.options.checkpointIntervalMs);
    this.checkpointTimer.unref();
  }

  /**
   * Writes and fsyncs the indexes, then records how far they are complete so recovery can start
   * there. Queue lengths are what the files hold, never entries still only in memory.
   */
  private async writeCheckpoint(): Promise<void> {
    const { visibleOffset } = await this.flusher.flush();
    const indexedOffset = Math.min(visibleOffset, this.writer.flushedOffset);
    const queues: Record<string, number> = {};
    const all = this.allQueues();
    for (const queue of all) if (queue.fileOffset > 0) queues[`${queue.topic}/${queue.queueId}`] = queue.fileOffset;
    const checkpoint: Checkpoint = { version: 1, indexedOffset, queues, deletedTopics: { ...this.deletedTopics } };
    const text = JSON.stringify(checkpoint);
    if (text === this.lastCheckpoint) return;
    for (const queue of all) await queue.sync();
    await this.keyIndex.sync();
    await this.checkpointFile.write(checkpoint);
    this.lastCheckpoint = text;
  }

  // ---- queues ----

  private queueFor(topic: string, queueId: number): ConsumeQueue {
    let byId = this.queues.get(topic);
    if (!byId) this.queues.set(topic, (byId = new Map()));
    let queue = byId.get(queueId);
    if (!queue) {
      queue = new ConsumeQueue(
        topic,
        queueId,
        this.queueDir(topic, queueId),
        this.options.consumeQueueEntriesPerFile,
        this.tailMemory,
        this.topicRemovals.get(topic),
      );
      byId.set(queueId, queue);
    }
    return queue;
  }

  private queueDir(topic: string, queueId: number): string {
    return join(this.root, 'consumequeue', topic, String(queueId));
  }

  private allQueues(): ConsumeQueue[] {
    const all: ConsumeQueue[] = [];
    for (const byId of this.queues.values()) all.push(...byId.values());
    return all;
  }

  /** The topic's UTF-8 bytes; a topic is validated once, when it enters this cache. */
  private topicBuffer(topic: string): Buffer {
    let bytes = this.topicBytes.get(topic);
    if (!bytes) {
      if (typeof topic !== 'string' || !TOPIC_NAME_PATTERN.test(topic) || topic === '.' || topic === '..' || topic.length > MAX_TOPIC_BYTES) {
        throw badRequest(`invalid topic name ${JSON.stringify(topic)}`);
      }
      if (this.topicBytes.size >= MAX_CACHED_TOPICS) this.topicBytes.clear();
      this.topicBytes.set(topic, (bytes = Buffer.from(topic)));
    }
    return bytes;
  }

  /** The record at a log position, unless it is gone to retention or its append has not resolved yet. */
  private async visibleMessageAt(position: number): Promise<StoredMessage | undefined> {
    if (!Number.isSafeInteger(position) || position < this.log.startOffset || position >= this.writer.visibleOffset) return undefined;
    return this.reader.messageAt(position);
  }

  // ---- recovery ----

  private async loadQueues(logStart: number): Promise<void> {
    const base = join(this.root, 'consumequeue');
    await mkdir(base, { recursive: true });
    for (const topic of await readdir(base, { withFileTypes: true })) {
      if (!topic.isDirectory()) continue;
      for (const entry of await readdir(join(base, topic.name), { withFileTypes: true })) {
        if (!entry.isDirectory() || !/^\d+$/.test(entry.name)) continue;
        await this.queueFor(topic.name, Number(entry.name)).open(logStart);
      }
    }
  }

  private chooseRebuildStart(checkpoint: Checkpoint | undefined, logStart: number): number {
    if (!checkpoint) {
      if (this.log.segmentCount > 0) this.logger.warn('no commitlog checkpoint: rebuilding consume queues and the key index from the whole log');
      return logStart;
    }
    for (const [name, expected] of Object.entries(checkpoint.queues)) {
      const slash = name.lastIndexOf('/');
      const queue = this.queues.get(name.slice(0, slash))?.get(Number(name.slice(slash + 1)));
      if ((queue?.maxOffset ?? 0) < expected) {
        this.logger.warn({ queue: name, expected, found: queue?.maxOffset ?? 0 }, 'a consume queue lags its checkpoint: rebuilding indexes from the whole log');
        return logStart;
      }
    }
    return Math.max(logStart, checkpoint.indexedOffset);
  }
}

function badRequest(message: string): TesseraError {
  return new TesseraError(ErrorCode.BAD_REQUEST, message);
}

function validateRead(request: ReadRequest): void {
  if (typeof request.topic !== 'string' || !Number.isInteger(request.queueId)) {
    throw badRequest('a read needs a topic and an integer queue id');
  }
  if (!Number.isSafeInteger(request.offset) || request.offset < 0) {
    throw badRequest(`read offset ${request.offset} is not a non-negative integer`);
  }
  if (!Number.isInteger(request.maxCount) || request.maxCount < 1) {
    throw badRequest(`read maxCount ${request.maxCount} must be a positive integer`);
  }
  if (typeof request.maxBytes !== 'number' || Number.isNaN(request.maxBytes)) throw badRequest('read maxBytes must be a number');
}
