import { ErrorCode } from '../errors/error-code';
import { TesseraError } from '../errors/tessera-error';
import type { QueueProgress } from '../group/queue-progress';
import type { StorageEngine } from '../storage/storage-engine';
import type { TopicRegistry } from '../topic/topic-registry';
import { Gauge } from './metric-types';
import type { MetricsRegistry } from './metrics-registry';

/** What the gauges read at scrape time: the broker's groups and their progress. */
export interface ConsumptionSource {
  listGroups(): Promise<string[]>;
  groupProgress(group: string): Promise<QueueProgress[]>;
}

/**
 * The backlog an operator watches, worked out at scrape time from state the broker keeps anyway
 * (nothing is counted per message): each group's lag and messages in flight per topic, summed
 * over the topic's queues (Kafka's consumer lag, RabbitMQ's ready and unacknowledged), and the
 * messages each topic retains (system topics aside; retry and dead-letter topics included). A
 * group that went away drops its series at the next scrape.
 */
export function registerConsumptionMetrics(registry: MetricsRegistry, source: ConsumptionSource, topics: TopicRegistry, storage: StorageEngine): void {
  // The two group gauges are collected together at each scrape: one pass over the groups serves both.
  let scrape: Promise<GroupTopicProgress[]> | undefined;
  const progress = () => (scrape ??= progressByGroupTopic(source).finally(() => (scrape = undefined)));
  groupTopicGauge(registry, 'tessera_group_lag_messages', 'Messages of the topic the group has not consumed: not committed (offset mode) or not acked (per-message-ack mode, in flight included)', progress, (sum) => sum.lag);
  groupTopicGauge(registry, 'tessera_group_inflight_messages', 'Per-message-ack groups: messages delivered and not yet acked (leased), by topic', progress, (sum) => sum.inflight);
  const retained = new Gauge({
    name: 'tessera_topic_retained_messages',
    help: 'Messages the log holds for the topic, over its queues (retention removes the oldest)',
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      retained.reset();
      for (const topic of topics.list(false)) {
        let messages = 0;
        for (const queueId of storage.queueIds(topic.name)) {
          const range = storage.queueRange(topic.name, queueId);
          messages += range.maxOffset - range.minOffset;
        }
        retained.set({ topic: topic.name }, messages);
      }
    },
  });
}

/** A gauge with a series per group and topic, from `progress`; a sum `valueOf` leaves undefined has none. */
function groupTopicGauge(
  registry: MetricsRegistry,
  name: string,
  help: string,
  progress: () => Promise<GroupTopicProgress[]>,
  valueOf: (sum: GroupTopicProgress) => number | undefined,
): void {
  new Gauge({
    name,
    help,
    labelNames: ['group', 'topic'],
    registers: [registry],
    async collect() {
      const sums = await progress();
      this.reset();
      for (const sum of sums) {
        const value = valueOf(sum);
        if (value !== undefined) this.set({ group: sum.group, topic: sum.topic }, value);
      }
    },
  });
}

interface GroupTopicProgress {
  group: string;
  topic: string;
  lag: number;
  /** Undefined for an offset-mode group. */
  inflight: number | undefined;
}

/** Each group's progress summed over each topic's queues. */
async function progressByGroupTopic(source: ConsumptionSource): Promise<GroupTopicProgress[]> {
  const sums: GroupTopicProgress[] = [];
  for (const group of await source.listGroups()) {
    const byTopic = new Map<string, GroupTopicProgress>();
    let progress: QueueProgress[];
    try {
      progress = await source.groupProgress(group);
    } catch (error) {
      // Gone between the listing and now (a temporary subscription that ended).
      if (TesseraError.is(error, ErrorCode.GROUP_NOT_FOUND)) continue;
      throw error;
    }
    for (const queue of progress) {
      let sum = byTopic.get(queue.topic);
      if (!sum) byTopic.set(queue.topic, (sum = { group, topic: queue.topic, lag: 0, inflight: undefined }));
      sum.lag += queue.lag;
      if (queue.inflight !== undefined) sum.inflight = (sum.inflight ?? 0) + queue.inflight;
    }
    sums.push(...byTopic.values());
  }
  return sums;
}
