import { mqttTopicMatches } from './mqtt-topic-matches';

describe('mqttTopicMatches', () => {
  it.each([
    ['sensors/room1/temp', 'sensors/room1/temp', true],
    ['sensors/+/temp', 'sensors/room1/temp', true],
    ['sensors/+/temp', 'sensors/room1/hum', false],
    ['sensors/+', 'sensors/room1/temp', false],
    ['sensors/+', 'sensors', false],
    ['sensors/#', 'sensors/room1/temp', true],
    ['sensors/#', 'sensors', true],
    ['#', 'a/b/c', true],
    ['+/+', '/b', true],
    ['+', 'a/b', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['$SYS/#', '$SYS/broker/uptime', true],
    ['$SYS/+/uptime', '$SYS/broker/uptime', true],
  ])('%s against %s: %s', (filter, topic, expected) => {
    expect(mqttTopicMatches(filter, topic)).toBe(expected);
  });
});
