import { readResultFor, readResultOutsideRange, type Logger, type ReadRequest, type ReadResult, type StoredMessage } from '@tessera/kernel';
import { checkRecord } from './check-record';
import type { CommitLog } from './commit-log';
import type { ConsumeQueue } from './consume-queue';
import { ConsumeQueueEntry } from './consume-queue-entry';
import { decodeRecord } from './decode-record';
import type { RecentLogCache } from './recent-log-cache';
import { RecordLayout } from './record-layout';

/** Queue entries one filtered read may skip before answering NO_MATCHED_MESSAGE. */
const MAX_SCANNED_ENTRIES = 1024;
/** Candidates closer than this in the log are fetched with one read. */
const READ_COALESCE_GAP_BYTES = 64 * 1024;
const READ_COALESCE_MAX_BYTES = 8 * 1024 * 1024;
/** Enough for most records in one read; a bigger one takes a second. */
const FIRST_READ_BYTES = 4096;

/**
 * Reads messages out of the log: a queue's entries first (tag filter applied there, no log
 * access), then the records, from the recent-log cache when it holds them, else in coalesced
 * positioned reads; each record is checked (CRC too, unless turned off) before it is decoded.
 */
export class LogReader {
  constructor(
    private readonly log: CommitLog,
    private readonly cache: RecentLogCache,
    private readonly storeId: number,
    private readonly verifyChecksumOnRead: boolean,
    private readonly logger: Logger,
  ) {}

  async read(queue: ConsumeQueue, request: ReadRequest): Promise<ReadResult> {
    const range = { minOffset: queue.minOffset, maxOffset: queue.maxOffset };
    const outside = readResultOutsideRange(range, request.offset);
    if (outside) return outside;

    const filtered = request.filter?.matchQueueEntry !== undefined || request.filter?.matchMessage !== undefined;
    const scan = Math.min(range.maxOffset - request.offset, filtered ? Math.max(request.maxCount, MAX_SCANNED_ENTRIES) : request.maxCount);
    const entries = await queue.readEntries(request.offset, scan);
    const candidates: Array<{ offset: number; position: number; size: number }> = [];
    const E = ConsumeQueueEntry.BYTES;
    let scannedTo = request.offset;
    let bodyBytesAtMost = 0;
    for (let at = 0; at < entries.length; at += E) {
      scannedTo++;
      if (request.filter?.matchQueueEntry && !request.filter.matchQueueEntry(ConsumeQueueEntry.tagHash(entries, at))) continue;
      const size = ConsumeQueueEntry.size(entries, at);
      candidates.push({ offset: scannedTo - 1, position: ConsumeQueueEntry.logPosition(entries, at), size });
      bodyBytesAtMost += size - RecordLayout.FIXED_BYTES;
      if (candidates.length >= request.maxCount || bodyBytesAtMost > request.maxBytes) break;
    }

    const messages: StoredMessage[] = [];
    let bodyBytes = 0;
    let nextOffset = scannedTo;
    let index = 0;
    fetch: while (index < candidates.length) {
      const first = candidates[index]!;
      let last = index;
      while (
        last + 1 < candidates.length &&
        this.log.segmentStartFor(candidates[last + 1]!.position) === this.log.segmentStartFor(first.position) &&
        candidates[last + 1]!.position - (candidates[last]!.position + candidates[last]!.size) <= READ_COALESCE_GAP_BYTES &&
        candidates[last + 1]!.position + candidates[last + 1]!.size - first.position <= READ_COALESCE_MAX_BYTES
      ) {
        last++;
      }
      const end = candidates[last]!.position + candidates[last]!.size;
      const source = this.cache.copy(first.position, end - first.position) ?? (await this.log.read(first.position, end - first.position));
      for (; index <= last; index++) {
        const candidate = candidates[index]!;
        const message = this.decodeAt(source.subarray(candidate.position - first.position), candidate.position, this.verifyChecksumOnRead);
        if (!message || message.topic !== request.topic || message.queueOffset !== candidate.offset) {
          this.logger.error({ topic: request.topic, queueId: request.queueId, offset: candidate.offset, position: candidate.position }, 'skipping a corrupt or misplaced record');
          continue;
        }
        if (request.filter?.matchMessage && !request.filter.matchMessage(message)) continue;
        if (messages.length > 0 && bodyBytes + message.body.length > request.maxBytes) {
          nextOffset = candidate.offset;
          break fetch;
        }
        messages.push(message);
        bodyBytes += message.body.length;
      }
    }
    return messages.length > 0 ? readResultFor(range, 'FOUND', nextOffset, messages) : readResultFor(range, 'NO_MATCHED_MESSAGE', nextOffset);
  }

  /** The record at `position`, if an intact one starts there (always CRC-checked). */
  async messageAt(position: number): Promise<StoredMessage | undefined> {
    const header = this.cache.copy(position, RecordLayout.FIXED_BYTES);
    const cached = header && this.cache.copy(position, header.readUInt32LE(0));
    if (cached) return this.decodeAt(cached, position, true);
    let source = await this.log.read(position, FIRST_READ_BYTES);
    if (source.length >= 4) {
      const size = source.readUInt32LE(0);
      if (size > source.length && size <= this.log.segmentBytes) source = await this.log.read(position, size);
    }
    return this.decodeAt(source, position, true);
  }

  private decodeAt(source: Buffer, position: number, verifyChecksum: boolean): StoredMessage | undefined {
    const segmentRemaining = this.log.segmentBytes - (position - this.log.segmentStartFor(position));
    const check = checkRecord(source, 0, segmentRemaining, position, verifyChecksum);
    return check.kind === 'message' ? decodeRecord(source, 0, this.storeId) : undefined;
  }
}
