import type { Broker, Logger } from '@tessera/kernel';
import { DelayTopic } from './delay-topic';
import { timerFireTime } from './timer-fire-time';
import type { TimerSchedule } from './timer-schedule';

const BATCH_MESSAGES = 4096;
const BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Follows the delay topic and adds a timer entry for every parked message, a batch at a time,
 * off the producers' path. After a crash it starts again from the offset the last progress
 * record vouches for, so entries lost with the crash are written again.
 */
export class ParkedMessageIndexer {
  private readonly fireAts = new Float64Array(BATCH_MESSAGES);
  private readonly offsets = new Float64Array(BATCH_MESSAGES);

  constructor(
    private readonly broker: Broker,
    private readonly schedule: TimerSchedule,
    private readonly logger: Logger,
    private nextOffset: number,
  ) {}

  /** Every parked message below this offset has its timer entry added. */
  get indexedOffset(): number {
    return this.nextOffset;
  }

  /** Indexes the next batch of parked messages; false when there was none. */
  async indexNext(): Promise<boolean> {
    const range = this.broker.queueRange(DelayTopic.NAME, DelayTopic.QUEUE_ID);
    if (this.nextOffset === range.maxOffset) return false;
    if (this.nextOffset > range.maxOffset || this.nextOffset < range.minOffset) {
      const restartAt = this.nextOffset > range.maxOffset ? range.maxOffset : range.minOffset;
      this.logger.warn(
        { from: this.nextOffset, restartAt, ...range },
        this.nextOffset > range.maxOffset
          ? 'the delay topic ends before the timer index does (its log lost a tail): indexing from its end'
          : 'parked messages were deleted by storage retention before they were indexed: they are lost',
      );
      this.nextOffset = restartAt;
      return true;
    }
    const read = await this.broker.readSystemTopic({
      topic: DelayTopic.NAME,
      queueId: DelayTopic.QUEUE_ID,
      offset: this.nextOffset,
      maxCount: BATCH_MESSAGES,
      maxBytes: BATCH_BYTES,
    });
    if (read.status !== 'FOUND') return false;
    let count = 0;
    for (const message of read.messages) {
      const fireAt = timerFireTime(message.properties);
      if (fireAt === undefined) {
        this.logger.error({ msgId: message.msgId, offset: message.queueOffset }, 'a parked message has no readable due time: it is skipped');
        continue;
      }
      this.fireAts[count] = fireAt;
      this.offsets[count++] = message.queueOffset;
    }
    await this.schedule.add(this.fireAts, this.offsets, count);
    this.nextOffset = read.nextOffset;
    return true;
  }
}
