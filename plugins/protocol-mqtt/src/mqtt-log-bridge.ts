import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, TesseraError, type Broker, type Logger, type StoredMessage } from '@tessera/kernel';
import type { PublishPacket } from 'aedes';
import type { ForeignProduceTracker } from './foreign-produce-tracker';
import { MqttProperties } from './mqtt-properties';
import { ALL_TOPICS, type MqttTopicMapping } from './mqtt-topic-mapping';
import { publishFieldsOf } from './v5';

/** The consumer group under which the bridge commits how far it has republished each queue. */
export const MQTT_BRIDGE_GROUP = '%MQTT-BRIDGE%';

const PULL_MAX_COUNT = 256;
const PULL_MAX_BYTES = 4 * 1024 * 1024;
const PULL_MAX_WAIT_MS = 5_000;
const RETRY_DELAY_MS = 1_000;

export type PublishToMqtt = (packet: PublishPacket) => Promise<void>;

/**
 * Republishes to MQTT subscribers what other protocols write to the Tessera topics they
 * subscribe to. One long-polling loop per followed topic queue; its position is committed under
 * MQTT_BRIDGE_GROUP after each batch reached aedes, so a restart resumes there (at least once).
 * A queue is first read from its end, or from its start when the topic was created after a
 * subscriber wanted it. Topics once followed stay followed (persistent sessions may be offline),
 * and at start every topic the group has offsets on is followed again. What only MQTT wrote since
 * a loop began is skipped without reading it (ForeignProduceTracker says when others wrote).
 */
export class MqttLogBridge {
  /** Followed topic names, with when the bridge began to want each. */
  private readonly wanted = new Map<string, number>();
  private followAllSince: number | undefined;
  private readonly running = new Set<string>();
  private readonly loops = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private rescanTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly broker: Broker,
    private readonly mapping: MqttTopicMapping,
    private readonly foreign: ForeignProduceTracker,
    private readonly publish: PublishToMqtt,
    private readonly logger: Logger,
    private readonly rescanMs: number,
  ) {}

  start(): void {
    for (const topic of this.broker.offsets.topicsOf(MQTT_BRIDGE_GROUP)) this.wanted.set(topic, Date.now());
    this.rescan();
    this.rescanTimer = setInterval(() => this.rescan(), this.rescanMs);
    this.rescanTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.rescanTimer);
    this.stopping.abort();
    await Promise.all(this.loops);
  }

  /** A client subscribed to `filter`: follow the Tessera topics it may want. */
  follow(filter: string): void {
    const topics = this.mapping.tesseraTopicsOf(filter);
    const now = Date.now();
    if (topics === ALL_TOPICS) this.followAllSince ??= now;
    else for (const topic of topics) if (!this.wanted.has(topic)) this.wanted.set(topic, now);
    this.rescan();
  }

  /** Starts loops for topics and queues that appeared since the last look. */
  private rescan(): void {
    if (this.stopping.signal.aborted) return;
    const names = new Map(this.wanted);
    if (this.followAllSince !== undefined) {
      for (const topic of this.broker.topics.list(false)) if (!names.has(topic.name)) names.set(topic.name, this.followAllSince);
    }
    for (const [name, since] of names) {
      const topic = this.broker.topics.get(name);
      if (!topic || topic.system) continue;
      // A topic created after a subscriber wanted it is read from its start, else from its end.
      const fromStart = topic.createdAt >= since;
      for (let queueId = 0; queueId < topic.readQueueCount; queueId++) {
        const key = `${name}\n${queueId}`;
        if (this.running.has(key)) continue;
        this.running.add(key);
        const loop = this.followQueue(name, queueId, fromStart).finally(() => {
          this.running.delete(key);
          this.loops.delete(loop);
        });
        this.loops.add(loop);
      }
    }
  }

  private async followQueue(topic: string, queueId: number, fromStart: boolean): Promise<void> {
    const signal = this.stopping.signal;
    let offset = this.broker.committedOffset(MQTT_BRIDGE_GROUP, topic, queueId);
    if (offset === undefined) {
      const range = this.broker.queueRange(topic, queueId);
      offset = fromStart ? range.minOffset : range.maxOffset;
      this.broker.commitOffset(MQTT_BRIDGE_GROUP, topic, queueId, offset);
    }
    // Below this the queue was written before the loop watched it: read it, whoever wrote it.
    const unwatchedEnd = this.broker.queueRange(topic, queueId).maxOffset;
    while (!signal.aborted && this.broker.accepting) {
      try {
        if (offset >= unwatchedEnd && !this.foreign.mayMeetForeign(topic, queueId, offset)) {
          const end = this.broker.queueRange(topic, queueId).maxOffset;
          if (end > offset) this.broker.commitOffset(MQTT_BRIDGE_GROUP, topic, queueId, (offset = end));
          await this.foreign.waitForForeign(topic, queueId, PULL_MAX_WAIT_MS, signal);
          continue;
        }
        const result = await this.broker.pull({
          topic,
          queueId,
          offset,
          maxCount: PULL_MAX_COUNT,
          maxBytes: PULL_MAX_BYTES,
          maxWaitMs: PULL_MAX_WAIT_MS,
          signal,
        });
        await Promise.all(result.messages.filter(fromOtherProtocols).map((message) => this.publish(this.packetOf(message))));
        if (result.nextOffset !== offset) {
          offset = result.nextOffset;
          this.broker.commitOffset(MQTT_BRIDGE_GROUP, topic, queueId, offset);
        }
      } catch (error) {
        if (TesseraError.is(error, ErrorCode.TOPIC_NOT_FOUND)) return;
        if (signal.aborted) return;
        this.logger.warn({ err: error, topic, queueId }, 'MQTT bridge: reading the log failed; retrying');
        await sleep(RETRY_DELAY_MS, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private packetOf(message: StoredMessage): PublishPacket {
    const qos = Number(message.properties[MqttProperties.QOS] ?? '1');
    return {
      cmd: 'publish',
      topic: this.mapping.mqttTopicOf(message),
      payload: message.body,
      qos: qos === 0 || qos === 2 ? qos : 1,
      retain: message.properties[MqttProperties.RETAIN] === '1',
      dup: false,
      ...publishFieldsOf(message.properties),
    } as PublishPacket;
  }
}

function fromOtherProtocols(message: StoredMessage): boolean {
  return message.properties[MqttProperties.ORIGIN] !== '1';
}
