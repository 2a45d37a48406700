import { mqttFilterCovers } from './mqtt-filter-covers';

describe('mqttFilterCovers', () => {
  it.each([
    ['sensors/#', 'sensors/+/temp', true],
    ['sensors/#', 'sensors/#', true],
    ['sensors/#', 'sensors', true],
    ['sensors/+/temp', 'sensors/room1/temp', true],
    ['sensors/+/temp', 'sensors/+/temp', true],
    ['sensors/room1/temp', 'sensors/+/temp', false],
    ['sensors/+', 'sensors/#', false],
    ['sensors/+', 'sensors/a/b', false],
    ['+/temp', 'a/temp', true],
    ['#', '#', true],
    ['#', '$SYS/#', false],
    ['$SYS/#', '$SYS/broker/+', true],
    ['other/#', 'sensors/a', false],
  ])('%s covers %s: %s', (allowed, requested, expected) => {
    expect(mqttFilterCovers(allowed, requested)).toBe(expected);
  });
});
