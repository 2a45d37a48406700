import { checkRecord } from './check-record';
import type { CommitLog } from './commit-log';

const SCAN_CHUNK_BYTES = 4 * 1024 * 1024;

export interface ScanOutcome {
  /** Log position just past the last intact record. */
  end: number;
  /** Why the scan stopped before the end of the written bytes, if it did. */
  problem?: string;
}

/** Called for each intact record with the buffer holding it; may be async (the scan waits). */
export type RecordVisitor = (position: number, source: Buffer, at: number, size: number) => void | Promise<void>;

/**
 * Walks the log from a record boundary, checking each record's structure and CRC, following
 * end-of-segment markers into the next segment, and stops at the first blank, torn or corrupt
 * spot. Reads in large chunks: one positioned read per 4 MiB, not one per record.
 */
export class LogScanner {
  constructor(private readonly log: CommitLog) {}

  async scan(from: number, visit: RecordVisitor): Promise<ScanOutcome> {
    const segmentBytes = this.log.segmentBytes;
    const reusable = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
    let position = from;
    for (;;) {
      const segmentStart = this.log.segmentStartFor(position);
      let chunk = await this.log.read(position, SCAN_CHUNK_BYTES, reusable);
      let at = 0;
      for (;;) {
        const recordPosition = position;
        const check = checkRecord(chunk, at, segmentBytes - (recordPosition - segmentStart), recordPosition, true);
        if (check.kind === 'blank') return { end: recordPosition };
        if (check.kind === 'invalid') return { end: recordPosition, problem: check.reason };
        if (check.kind === 'end-of-segment') {
          position = segmentStart + segmentBytes;
          break;
        }
        if (check.kind === 'incomplete') {
          if (at > 0) break;
          const whole = await this.log.read(recordPosition, check.size);
          if (whole.length < check.size) return { end: recordPosition, problem: 'torn record' };
          chunk = whole;
          continue;
        }
        await visit(recordPosition, chunk, at, check.size);
        position += check.size;
        at += check.size;
        if (at >= chunk.length) break;
      }
    }
  }
}
