import type { StoredMessage } from '@tessera/kernel';
import { ALL_TOPICS, MqttTopicMapping } from './mqtt-topic-mapping';

function stored(topic: string, properties: Record<string, string> = {}): StoredMessage {
  return {
    msgId: 'id',
    topic,
    queueId: 0,
    queueOffset: 0,
    commitLogOffset: 0,
    storeSize: 0,
    body: Buffer.alloc(0),
    keys: [],
    properties,
    bornTimestamp: 0,
    storeTimestamp: 0,
    flag: 0,
    reconsumeTimes: 0,
  };
}

describe('MqttTopicMapping', () => {
  const firstLevel = new MqttTopicMapping({ topicMapping: 'first-level', topic: 'mqtt' });
  const fixed = new MqttTopicMapping({ topicMapping: 'fixed', topic: 'iot' });

  it('names the Tessera topic after the first level, escaped', () => {
    expect(firstLevel.tesseraTopicOf('sensors/room1/temp')).toBe('sensors');
    expect(firstLevel.tesseraTopicOf('sensors')).toBe('sensors');
    expect(firstLevel.tesseraTopicOf('my home/kitchen')).toBe('my|20home');
    expect(firstLevel.tesseraTopicOf('/leading/slash')).toBe('|');
  });

  it('leaves $ topics in MQTT', () => {
    expect(firstLevel.tesseraTopicOf('$SYS/broker/uptime')).toBeUndefined();
    expect(fixed.tesseraTopicOf('$SYS/broker/uptime')).toBeUndefined();
  });

  it('refuses a first level too long for a Tessera topic name', () => {
    expect(() => firstLevel.tesseraTopicOf(`${'x'.repeat(128)}/a`)).toThrow(/127/);
  });

  it('puts every message in one topic in fixed mode', () => {
    expect(fixed.tesseraTopicOf('sensors/room1/temp')).toBe('iot');
    expect(fixed.tesseraTopicsOf('other/#')).toEqual(['iot']);
  });

  it('picks the same queue for the same MQTT topic and spreads different ones', () => {
    expect(firstLevel.queueOf('sensors/room1/temp', 8)).toBe(firstLevel.queueOf('sensors/room1/temp', 8));
    const queues = new Set(Array.from({ length: 64 }, (_, i) => firstLevel.queueOf(`sensors/room${i}/temp`, 8)));
    expect(queues.size).toBe(8);
  });

  it('follows the topic a subscription names, or every topic for a wildcard first level', () => {
    expect(firstLevel.tesseraTopicsOf('sensors/+/temp')).toEqual(['sensors']);
    expect(firstLevel.tesseraTopicsOf('+/room1/temp')).toBe(ALL_TOPICS);
    expect(firstLevel.tesseraTopicsOf('#')).toBe(ALL_TOPICS);
    expect(firstLevel.tesseraTopicsOf('$SYS/#')).toEqual([]);
  });

  it('publishes another protocol\'s message under its mqtt.topic, or below its topic, or at its topic', () => {
    expect(firstLevel.mqttTopicOf(stored('sensors', { 'mqtt.topic': 'sensors/room2/temp' }))).toBe('sensors/room2/temp');
    expect(firstLevel.mqttTopicOf(stored('sensors', { 'mqtt.topic': 'room2/temp' }))).toBe('sensors/room2/temp');
    expect(firstLevel.mqttTopicOf(stored('sensors'))).toBe('sensors');
    expect(firstLevel.mqttTopicOf(stored('my|20home'))).toBe('my home');
    expect(firstLevel.mqttTopicOf(stored('sensors', { 'mqtt.topic': 'bad/#' }))).toBe('sensors');
    expect(fixed.mqttTopicOf(stored('iot', { 'mqtt.topic': 'a/b' }))).toBe('a/b');
    expect(fixed.mqttTopicOf(stored('iot'))).toBe('iot');
  });
});
