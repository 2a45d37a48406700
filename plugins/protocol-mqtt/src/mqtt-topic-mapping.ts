import { MAX_TOPIC_NAME_LENGTH, type StoredMessage } from '@tessera/kernel';
import { escapeTopicLevel } from './escape-topic-level';
import type { MqttProtocolOptions } from './mqtt-protocol-options';
import { MqttProperties } from './mqtt-properties';
import { stableTopicHash } from './stable-topic-hash';
import { unescapeTopicLevel } from './unescape-topic-level';

/** Every Tessera topic that is not a system topic. */
export const ALL_TOPICS = 'all';

/** Where MQTT topics land in Tessera and back (see the README's "Topic mapping"). */
export class MqttTopicMapping {
  constructor(private readonly options: Pick<MqttProtocolOptions, 'topicMapping' | 'topic'>) {}

  /** The Tessera topic an MQTT topic lands in; undefined for `$` topics, which stay in MQTT. */
  tesseraTopicOf(mqttTopic: string): string | undefined {
    if (mqttTopic.startsWith('$')) return undefined;
    if (this.options.topicMapping === 'fixed') return this.options.topic;
    const name = escapeTopicLevel(firstLevel(mqttTopic));
    if (name.length > MAX_TOPIC_NAME_LENGTH) {
      throw new Error(`the first level of MQTT topic "${mqttTopic}" escapes to ${name.length} characters; Tessera topic names hold ${MAX_TOPIC_NAME_LENGTH}`);
    }
    return name;
  }

  /** The same MQTT topic always lands in the same queue, so it keeps its order. */
  queueOf(mqttTopic: string, writeQueueCount: number): number {
    return stableTopicHash(mqttTopic) % writeQueueCount;
  }

  /** The Tessera topics whose messages a subscription to `filter` may want. */
  tesseraTopicsOf(filter: string): string[] | typeof ALL_TOPICS {
    if (filter.startsWith('$')) return [];
    if (this.options.topicMapping === 'fixed') return [this.options.topic];
    const first = firstLevel(filter);
    if (first === '+' || first === '#') return ALL_TOPICS;
    const name = escapeTopicLevel(first);
    return name.length > MAX_TOPIC_NAME_LENGTH ? [] : [name];
  }

  /**
   * The MQTT topic a message from another protocol is published under: its `mqtt.topic` property
   * when that maps back to the message's Tessera topic, else that property as levels below the
   * topic's own level, else the topic's level alone.
   */
  mqttTopicOf(message: StoredMessage): string {
    const level = this.options.topicMapping === 'fixed' ? message.topic : unescapeTopicLevel(message.topic);
    const wanted = message.properties[MqttProperties.TOPIC];
    if (wanted === undefined || !isPublishableTopic(wanted)) return level;
    if (this.options.topicMapping === 'fixed' || escapeTopicLevel(firstLevel(wanted)) === message.topic) return wanted;
    return `${level}/${wanted}`;
  }
}

function firstLevel(topic: string): string {
  const slash = topic.indexOf('/');
  return slash < 0 ? topic : topic.slice(0, slash);
}

function isPublishableTopic(topic: string): boolean {
  return topic.length > 0 && !topic.startsWith('$') && !topic.includes('+') && !topic.includes('#');
}
