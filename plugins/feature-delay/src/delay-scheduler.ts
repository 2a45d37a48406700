import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import { AtomicJsonFile, Broker, BrokerSettings, Logger, type LifecycleContribution } from '@tessera/kernel';
import { DelayOptions } from './delay-options';
import type { DelayProgress } from './delay-progress';
import { DelayTopic } from './delay-topic';
import { DueMessageDeliverer } from './due-message-deliverer';
import { ParkedMessageIndexer } from './parked-message-indexer';
import { TimerBucketStore } from './timer-bucket-store';
import { TimerSchedule } from './timer-schedule';

/** Buckets are loaded this long before they start, so loading never delays a delivery. */
const PRELOAD_MS = 2_000;
const PROGRESS_INTERVAL_MS = 200;
/** How far past a progress record's time deliveries may go before the next record is written. */
const HORIZON_MS = 1_000;
/**
 * Longest idle wait for newly parked messages (a park wakes it at once): bounds how late buckets
 * are loaded and progress is recorded while nothing is parked.
 */
const IDLE_WAIT_MS = 100;
const RETRY_AFTER_MS = 1_000;

/**
 * Runs scheduled delivery for the broker's lifetime: recovers the timer index (bucket files plus
 * the delay topic past the last progress record), then one loop indexes newly parked messages,
 * loads buckets as they come near and records progress, while the deliverer hands due messages
 * to their topics on its own timer.
 */
@injectable()
export class DelayScheduler implements LifecycleContribution {
  readonly name = 'feature-delay';
  private readonly progressFile: AtomicJsonFile<DelayProgress>;
  private readonly store: TimerBucketStore;
  private schedule!: TimerSchedule;
  private indexer!: ParkedMessageIndexer;
  private deliverer!: DueMessageDeliverer;
  /** Entries a crashed run may have handled: firing at or before this (0: none). */
  private inheritedUncertainty = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private pause: { timer: NodeJS.Timeout; resolve(): void } | undefined;
  private readonly stopping = new AbortController();
  private lastProgressAt = 0;
  private recorded: DelayProgress | undefined;
  private recordedHorizon = 0;

  constructor(
    @inject(Broker) private readonly broker: Broker,
    @inject(BrokerSettings) settings: BrokerSettings,
    @inject(Logger) private readonly logger: Logger,
    @inject(DelayOptions) private readonly options: DelayOptions,
  ) {
    const dir = join(settings.dataDir, 'delay');
    this.progressFile = new AtomicJsonFile(join(dir, 'progress.json'));
    this.store = new TimerBucketStore(join(dir, 'buckets'), options.bucketMs);
  }

  async onStart(): Promise<void> {
    const startedAt = Date.now();
    const progress = this.readProgress();
    const { indexedOffset, handledBefore } = progress;
    const parkedBeforeStart = this.broker.queueRange(DelayTopic.NAME, DelayTopic.QUEUE_ID).maxOffset;
    this.inheritedUncertainty = progress.uncertainUntil;
    this.schedule = new TimerSchedule(
      this.store,
      (fireAt, offset) => offset < indexedOffset && (fireAt < handledBefore.fireAt || (fireAt === handledBefore.fireAt && offset < handledBefore.offset)),
    );
    await this.schedule.open();
    this.indexer = new ParkedMessageIndexer(this.broker, this.schedule, this.logger, indexedOffset);
    while (await this.indexer.indexNext());
    await this.schedule.loadUntil(Date.now() + PRELOAD_MS);
    this.deliverer = new DueMessageDeliverer(
      this.broker,
      this.schedule.heap,
      { rollAfterMs: this.options.rollAfterMs, uncertainUntil: progress.uncertainUntil, uncertainBelowOffset: parkedBeforeStart },
      this.logger,
    );
    await this.recordProgress(false);
    this.running = true;
    this.deliverer.start();
    this.loop = this.run();
    this.logger.info(
      { from: indexedOffset, indexedTo: this.indexer.indexedOffset, inMemory: this.schedule.heap.size, ms: Date.now() - startedAt },
      'delayed delivery started',
    );
  }

  async onStop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopping.abort();
    if (this.pause) {
      clearTimeout(this.pause.timer);
      this.pause.resolve();
    }
    await this.deliverer.stop();
    await this.loop;
    await this.recordProgress(true);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        const indexed = await this.indexer.indexNext();
        await this.schedule.loadUntil(Date.now() + PRELOAD_MS);
        this.deliverer.wake();
        if (this.progressWanted(Date.now())) await this.recordProgress(false);
        if (!indexed) {
          await this.broker.waitForSystemTopic(DelayTopic.NAME, DelayTopic.QUEUE_ID, this.indexer.indexedOffset, IDLE_WAIT_MS, this.stopping.signal);
        }
      } catch (error) {
        this.logger.error({ err: error }, `the delay timer index failed; trying again in ${RETRY_AFTER_MS} ms`);
        await this.sleep(RETRY_AFTER_MS);
      }
    }
  }

  /**
   * A record is written at most every PROGRESS_INTERVAL_MS while the index or delivery moves,
   * and at once when an entry comes due soon with the horizon running out; an idle broker
   * writes none.
   */
  private progressWanted(now: number): boolean {
    const topFireAt = this.schedule.heap.topFireAt;
    if (topFireAt <= now + HORIZON_MS && this.recordedHorizon < now + HORIZON_MS / 2) return true;
    if (now - this.lastProgressAt < PROGRESS_INTERVAL_MS) return false;
    const handledBefore = this.handledBefore();
    const recorded = this.recorded;
    return (
      recorded === undefined ||
      recorded.indexedOffset !== this.indexer.indexedOffset ||
      recorded.handledBefore.fireAt !== handledBefore.fireAt ||
      recorded.handledBefore.offset !== handledBefore.offset
    );
  }

  /**
   * Syncs the bucket files, then records how far they go and what is handled; then lets the
   * deliverer go up to a horizon a little ahead, and deletes bucket files handled completely.
   * The last record (at stop) bounds the uncertainty by what was actually handled.
   */
  private async recordProgress(final: boolean): Promise<void> {
    const now = Date.now();
    const indexedOffset = this.indexer.indexedOffset;
    const handledBefore = this.handledBefore();
    const horizon = now + HORIZON_MS;
    // Once everything firing up to it is handled in this run, what a crashed run may have done no longer matters.
    if (handledBefore.fireAt > this.inheritedUncertainty) this.inheritedUncertainty = 0;
    const uncertainUntil = Math.max(final ? this.deliverer.maxHandledFireAt : horizon, this.inheritedUncertainty);
    await this.store.sync();
    const progress: DelayProgress = { version: 1, indexedOffset, handledBefore, uncertainUntil };
    await this.progressFile.write(progress);
    this.recorded = progress;
    this.lastProgressAt = now;
    if (!final) {
      this.recordedHorizon = horizon;
      this.deliverer.extendHorizon(horizon);
    }
    await this.schedule.removeHandled(handledBefore.fireAt);
  }

  /** The first entry not handled yet: in flight, at the top of the heap, or the first not loaded. */
  private handledBefore(): { fireAt: number; offset: number } {
    let first = { fireAt: this.schedule.loadedUntil, offset: 0 };
    const heap = this.schedule.heap;
    if (heap.size > 0 && (heap.topFireAt < first.fireAt || (heap.topFireAt === first.fireAt && heap.topOffset < first.offset))) {
      first = { fireAt: heap.topFireAt, offset: heap.topOffset };
    }
    const inflight = this.deliverer.inflightFirst;
    if (inflight && (inflight.fireAt < first.fireAt || (inflight.fireAt === first.fireAt && inflight.offset < first.offset))) first = inflight;
    return first;
  }

  private readProgress(): DelayProgress {
    const progress = this.progressFile.read();
    if (progress) {
      if (progress.version !== 1) throw new Error(`delay/progress.json has unknown version ${String(progress.version)}`);
      return progress;
    }
    const parked = this.broker.queueRange(DelayTopic.NAME, DelayTopic.QUEUE_ID);
    if (parked.maxOffset > 0) {
      this.logger.warn('delay/progress.json is missing but messages are parked: those due by now are checked against their topics before delivery');
    }
    // Whatever an earlier run handled was due by the time it stopped, so by now.
    return { version: 1, indexedOffset: parked.minOffset, handledBefore: { fireAt: 0, offset: 0 }, uncertainUntil: parked.maxOffset > 0 ? Date.now() : 0 };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pause = undefined;
        resolve();
      }, ms);
      this.pause = { timer, resolve };
    });
  }
}
