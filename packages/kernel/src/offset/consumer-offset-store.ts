import { join } from 'node:path';
import { inject, injectable } from 'inversify';
import { BrokerSettings } from '../config/broker-settings';
import { Logger } from '../logging/logger';
import { AtomicJsonFile } from '../storage/atomic-json-file';

type OffsetTable = Record<string, Record<string, Record<string, number>>>;

/**
 * Committed offsets per group, topic and queue. Commits are held in memory and written to
 * dataDir/metadata/consumer-offsets.json every offsetFlushIntervalMs (off the event loop) and at
 * stop; after a crash a group resumes from the last written commit (at-least-once).
 */
@injectable()
export class ConsumerOffsetStore {
  private readonly table = new Map<string, Map<string, Map<number, number>>>();
  private readonly file: AtomicJsonFile<OffsetTable>;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private persisting: Promise<void> | undefined;

  constructor(
    @inject(BrokerSettings) private readonly settings: BrokerSettings,
    @inject(Logger) private readonly logger: Logger,
  ) {
    this.file = new AtomicJsonFile(join(settings.dataDir, 'metadata', 'consumer-offsets.json'));
  }

  load(): void {
    this.table.clear();
    for (const [group, topics] of Object.entries(this.file.read() ?? {})) {
      for (const [topic, queues] of Object.entries(topics)) {
        for (const [queueId, offset] of Object.entries(queues)) this.set(group, topic, Number(queueId), offset);
      }
    }
    this.dirty = false;
    this.timer = setInterval(() => {
      this.persistIfDirty().catch((error: unknown) => this.logger.error({ err: error }, 'writing consumer offsets failed; will retry'));
    }, this.settings.offsetFlushIntervalMs);
    this.timer.unref();
  }

  /**
   * Pulls back every committed offset past its queue's end to that end and returns them. Records
   * are served once written, before their fsync, so after a power loss the recovered log can end
   * before what a group had read; resuming past the end would skip the messages written there
   * next (RocketMQ corrects such offsets the same way). Re-reading from the end is at-least-once.
   */
  clampToQueueEnds(queueEnd: (topic: string, queueId: number) => number): Array<{ group: string; topic: string; queueId: number; from: number; to: number }> {
    const clamped = [];
    for (const [group, topics] of this.table) {
      for (const [topic, queues] of topics) {
        for (const [queueId, offset] of queues) {
          const end = queueEnd(topic, queueId);
          if (offset <= end) continue;
          queues.set(queueId, end);
          clamped.push({ group, topic, queueId, from: offset, to: end });
        }
      }
    }
    if (clamped.length > 0) this.dirty = true;
    return clamped;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.persisting;
    await this.persistIfDirty();
  }

  commit(group: string, topic: string, queueId: number, offset: number): void {
    this.set(group, topic, queueId, offset);
    this.dirty = true;
  }

  /** The committed offset, or undefined if the group never committed on that queue. */
  get(group: string, topic: string, queueId: number): number | undefined {
    return this.table.get(group)?.get(topic)?.get(queueId);
  }

  /** Every committed offset of a group on a topic, by queue id. */
  forTopic(group: string, topic: string): Map<number, number> {
    return new Map(this.table.get(group)?.get(topic) ?? []);
  }

  groups(): string[] {
    return [...this.table.keys()].sort();
  }

  topicsOf(group: string): string[] {
    return [...(this.table.get(group)?.keys() ?? [])].sort();
  }

  deleteTopic(topic: string): void {
    for (const topics of this.table.values()) if (topics.delete(topic)) this.dirty = true;
  }

  /** Writes the table if it changed; a failed write leaves it dirty for the next try. */
  async persistIfDirty(): Promise<void> {
    if (!this.dirty || this.persisting) return;
    this.dirty = false;
    const snapshot: OffsetTable = {};
    for (const [group, topics] of this.table) {
      snapshot[group] = {};
      for (const [topic, queues] of topics) snapshot[group][topic] = Object.fromEntries(queues);
    }
    this.persisting = this.file.write(snapshot);
    try {
      await this.persisting;
    } catch (error) {
      this.dirty = true;
      throw error;
    } finally {
      this.persisting = undefined;
    }
  }

  private set(group: string, topic: string, queueId: number, offset: number): void {
    let topics = this.table.get(group);
    if (!topics) this.table.set(group, (topics = new Map()));
    let queues = topics.get(topic);
    if (!queues) topics.set(topic, (queues = new Map()));
    queues.set(queueId, offset);
  }
}
