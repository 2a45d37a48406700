import { tagHash, type Logger } from '@tessera/kernel';
import type { CommitLog } from './commit-log';
import type { ConsumeQueue } from './consume-queue';
import { decodeRecord } from './decode-record';
import type { KeyIndex } from './key-index';
import { LogScanner } from './log-scanner';
import { RecordLayout } from './record-layout';
import { uint64 } from './uint64';

/** How many rebuilt entries recovery holds before writing them, bounding its memory. */
const FLUSH_EVERY_ENTRIES = 65536;

export interface RecoveryOutcome {
  /** The log's end: where the next record goes. */
  end: number;
  lastStoreTimestamp: number;
}

/**
 * Recovery at open: verifies the log from the last segment (or the checkpoint, if older), cuts a
 * torn or corrupt tail, and re-indexes records at or past the rebuild position into their
 * consume queues and the key index. Consume queues and the key index must already be cut at
 * the rebuild position, so re-indexing appends exactly what is missing.
 */
export class CommitLogRecovery {
  constructor(
    private readonly log: CommitLog,
    private readonly keyIndex: KeyIndex,
    private readonly logger: Logger,
    private readonly storeId: number,
    /** Topic → log position it was deleted at: its older records stay out of the indexes. */
    private readonly deletedTopics: Readonly<Record<string, number>>,
    private readonly queueFor: (topic: string, queueId: number) => ConsumeQueue,
  ) {}

  async run(rebuildFrom: number): Promise<RecoveryOutcome> {
    const lastSegment = this.log.lastSegmentStart;
    if (lastSegment === undefined) return { end: rebuildFrom, lastStoreTimestamp: 0 };
    const keysIndexedThrough = this.keyIndex.lastIndexedPosition;
    const touched = new Set<ConsumeQueue>();
    let lastStoreTimestamp = 0;
    let staged = 0;
    const outcome = await new LogScanner(this.log).scan(Math.min(rebuildFrom, lastSegment), async (position, source, at, size) => {
      lastStoreTimestamp = Math.max(lastStoreTimestamp, uint64.read(source, at + RecordLayout.STORE_TIMESTAMP));
      if (position < rebuildFrom) return;
      const record = decodeRecord(source, at, this.storeId);
      if ((this.deletedTopics[record.topic] ?? -1) > position) return;
      const queue = this.queueFor(record.topic, record.queueId);
      queue.rebase(record.queueOffset);
      if (record.queueOffset === queue.assignedOffset) {
        queue.stage(position, size, tagHash(record.tag), record.storeTimestamp);
        touched.add(queue);
        staged++;
      } else if (record.queueOffset > queue.assignedOffset) {
        this.logger.warn(
          { topic: record.topic, queueId: record.queueId, expected: queue.assignedOffset, found: record.queueOffset },
          'gap in a queue while rebuilding; record left out',
        );
      }
      if (position > keysIndexedThrough) {
        for (const key of record.keys) this.keyIndex.stage(record.topic, key, position, record.storeTimestamp);
        staged += record.keys.length;
      }
      if (staged >= FLUSH_EVERY_ENTRIES) {
        await this.writeRebuilt(touched);
        staged = 0;
      }
    });
    await this.writeRebuilt(touched);
    const fileEnd = lastSegment + this.log.segmentSize(lastSegment);
    if (fileEnd > outcome.end) {
      this.logger.warn(
        { position: outcome.end, bytes: fileEnd - outcome.end, reason: outcome.problem ?? 'bytes past the last record' },
        'truncating the commitlog tail',
      );
      await this.log.truncate(outcome.end);
    }
    if (outcome.end < rebuildFrom) await this.keyIndex.truncateFrom(outcome.end);
    return { end: outcome.end, lastStoreTimestamp };
  }

  private async writeRebuilt(queues: Set<ConsumeQueue>): Promise<void> {
    for (const queue of queues) {
      queue.publishTo(queue.assignedOffset);
      await queue.flush();
      queue.releaseTail();
    }
    queues.clear();
    const keys = this.keyIndex.detachStaged();
    if (keys) await this.keyIndex.write(keys);
  }
}
