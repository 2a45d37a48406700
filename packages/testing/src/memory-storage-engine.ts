import { injectable } from 'inversify';
import {
  decodeMessageId,
  encodeMessageId,
  ErrorCode,
  readResultFor,
  readResultOutsideRange,
  tagHash,
  TesseraError,
  type AppendMessage,
  type AppendResult,
  type OnReadable,
  type KeyQuery,
  type QueueRange,
  type ReadRequest,
  type ReadResult,
  type RetentionReport,
  type StorageEngine,
  type StorageStats,
  type StoredMessage,
} from '@tessera/kernel';

/** Bytes a memory "record" counts for besides its body, so positions look like a log's. */
const RECORD_OVERHEAD_BYTES = 64;
/** How many queue entries one filtered read may skip before answering NO_MATCHED_MESSAGE. */
const MAX_SCANNED_ENTRIES = 1024;
const MEMORY_STORE_ID = 0x4d454d30;

interface MemoryQueue {
  minOffset: number;
  messages: StoredMessage[];
}

/**
 * A StorageEngine kept in process memory, for unit tests of everything above storage. Nothing
 * survives the process; it passes the storage conformance suite without the reopen part.
 */
@injectable()
export class MemoryStorageEngine implements StorageEngine {
  readonly name = 'memory';
  private readonly queues = new Map<string, Map<number, MemoryQueue>>();
  private readonly byPosition = new Map<number, StoredMessage>();
  private readonly byKey = new Map<string, StoredMessage[]>();
  private position = 0;
  private lastStoreTimestamp = 0;
  private closed = false;

  async open(): Promise<void> {
    this.closed = false;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  async append(messages: readonly AppendMessage[], onReadable?: OnReadable): Promise<AppendResult[]> {
    if (this.closed) throw new TesseraError(ErrorCode.STORE_UNAVAILABLE, 'the storage engine is closed');
    if (!Array.isArray(messages)) throw new TesseraError(ErrorCode.BAD_REQUEST, 'append takes an array of messages');
    for (const message of messages) validateAppend(message);
    // Stored a microtask later, not synchronously: callers must not rely on a message being readable before onReadable.
    await Promise.resolve();
    if (this.closed) throw new TesseraError(ErrorCode.STORE_UNAVAILABLE, 'the storage engine is closed');
    const storeTimestamp = (this.lastStoreTimestamp = Math.max(this.lastStoreTimestamp, Date.now()));
    const results = messages.map((message) => {
      const queue = this.queueFor(message.topic, message.queueId);
      const storeSize = RECORD_OVERHEAD_BYTES + message.body.length;
      const stored: StoredMessage = {
        msgId: encodeMessageId(MEMORY_STORE_ID, this.position),
        topic: message.topic,
        queueId: message.queueId,
        queueOffset: queue.minOffset + queue.messages.length,
        commitLogOffset: this.position,
        storeSize,
        body: Buffer.from(message.body),
        tag: message.tag || undefined,
        keys: [...(message.keys ?? [])],
        properties: { ...(message.properties ?? {}) },
        bornTimestamp: message.bornTimestamp,
        storeTimestamp,
        flag: message.flag,
        reconsumeTimes: message.reconsumeTimes,
      };
      queue.messages.push(stored);
      this.byPosition.set(stored.commitLogOffset, stored);
      for (const key of new Set(stored.keys)) {
        const indexKey = keyIndexName(stored.topic, key);
        const list = this.byKey.get(indexKey) ?? [];
        list.push(stored);
        this.byKey.set(indexKey, list);
      }
      this.position += storeSize;
      return {
        msgId: stored.msgId,
        topic: stored.topic,
        queueId: stored.queueId,
        queueOffset: stored.queueOffset,
        commitLogOffset: stored.commitLogOffset,
        storeTimestamp,
        storeSize,
      };
    });
    onReadable?.();
    return results;
  }

  async read(request: ReadRequest): Promise<ReadResult> {
    validateRead(request);
    const queue = this.queues.get(request.topic)?.get(request.queueId);
    if (!queue) return { status: 'NO_QUEUE', messages: [], nextOffset: 0, minOffset: 0, maxOffset: 0 };
    const minOffset = queue.minOffset;
    const maxOffset = queue.minOffset + queue.messages.length;
    const range = { minOffset, maxOffset };
    const outside = readResultOutsideRange(range, request.offset);
    if (outside) return outside;
    const found: StoredMessage[] = [];
    let bytes = 0;
    let offset = request.offset;
    const scanLimit = Math.min(maxOffset, request.offset + Math.max(request.maxCount, MAX_SCANNED_ENTRIES));
    for (; offset < scanLimit && found.length < request.maxCount; offset++) {
      const message = queue.messages[offset - minOffset]!;
      if (request.filter?.matchQueueEntry && !request.filter.matchQueueEntry(tagHash(message.tag))) continue;
      if (request.filter?.matchMessage && !request.filter.matchMessage(message)) continue;
      if (found.length > 0 && bytes + message.body.length > request.maxBytes) break;
      found.push(message);
      bytes += message.body.length;
    }
    return found.length > 0 ? readResultFor(range, 'FOUND', offset, found) : readResultFor(range, 'NO_MATCHED_MESSAGE', offset);
  }

  queueRange(topic: string, queueId: number): QueueRange {
    const queue = this.queues.get(topic)?.get(queueId);
    if (!queue) return { minOffset: 0, maxOffset: 0 };
    return { minOffset: queue.minOffset, maxOffset: queue.minOffset + queue.messages.length };
  }

  queueIds(topic: string): number[] {
    return [...(this.queues.get(topic)?.keys() ?? [])].sort((a, b) => a - b);
  }

  async offsetForTimestamp(topic: string, queueId: number, timestamp: number): Promise<number> {
    const queue = this.queues.get(topic)?.get(queueId);
    if (!queue) return 0;
    const index = queue.messages.findIndex((message) => message.storeTimestamp >= timestamp);
    return queue.minOffset + (index === -1 ? queue.messages.length : index);
  }

  async getByMsgId(msgId: string): Promise<StoredMessage | undefined> {
    const decoded = decodeMessageId(msgId);
    if (!decoded || decoded.storeId !== MEMORY_STORE_ID) return undefined;
    return this.byPosition.get(decoded.commitLogOffset);
  }

  async queryByKey(query: KeyQuery): Promise<StoredMessage[]> {
    const begin = query.beginTimestamp ?? Number.NEGATIVE_INFINITY;
    const end = query.endTimestamp ?? Number.POSITIVE_INFINITY;
    return (this.byKey.get(keyIndexName(query.topic, query.key)) ?? [])
      .filter((message) => message.storeTimestamp >= begin && message.storeTimestamp <= end)
      .slice(0, Math.max(0, query.maxCount));
  }

  async flush(): Promise<void> {}

  async deleteTopic(topic: string): Promise<void> {
    this.queues.delete(topic);
    const prefix = keyIndexName(topic, '');
    for (const indexKey of [...this.byKey.keys()]) if (indexKey.startsWith(prefix)) this.byKey.delete(indexKey);
  }

  async enforceRetention(): Promise<RetentionReport> {
    return { deletedSegments: 0, deletedBytes: 0 };
  }

  stats(): StorageStats {
    return { logBytes: this.position, flushedOffset: this.position, writtenOffset: this.position, segmentCount: 1 };
  }

  private queueFor(topic: string, queueId: number): MemoryQueue {
    let byId = this.queues.get(topic);
    if (!byId) this.queues.set(topic, (byId = new Map()));
    let queue = byId.get(queueId);
    if (!queue) byId.set(queueId, (queue = { minOffset: 0, messages: [] }));
    return queue;
  }
}

function keyIndexName(topic: string, key: string): string {
  return `${topic}\u0000${key}`;
}

function validateAppend(message: AppendMessage): void {
  if (typeof message.topic !== 'string' || message.topic.length === 0) {
    throw new TesseraError(ErrorCode.BAD_REQUEST, 'a message needs a non-empty topic');
  }
  if (!Number.isInteger(message.queueId) || message.queueId < 0) {
    throw new TesseraError(ErrorCode.BAD_REQUEST, `queue id ${message.queueId} is not a non-negative integer`);
  }
  if (!Buffer.isBuffer(message.body)) throw new TesseraError(ErrorCode.BAD_REQUEST, 'a message body must be a Buffer');
}

function validateRead(request: ReadRequest): void {
  if (!Number.isSafeInteger(request.offset) || request.offset < 0) {
    throw new TesseraError(ErrorCode.BAD_REQUEST, `read offset ${request.offset} is not a non-negative integer`);
  }
  if (!Number.isInteger(request.maxCount) || request.maxCount < 1) {
    throw new TesseraError(ErrorCode.BAD_REQUEST, `read maxCount ${request.maxCount} must be a positive integer`);
  }
}
