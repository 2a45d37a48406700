import { TOPIC_NAME_PATTERN } from '@tessera/kernel';
import { escapeTopicLevel } from './escape-topic-level';
import { unescapeTopicLevel } from './unescape-topic-level';

describe('escapeTopicLevel / unescapeTopicLevel', () => {
  it('keeps names Tessera accepts as they are', () => {
    expect(escapeTopicLevel('sensors')).toBe('sensors');
    expect(escapeTopicLevel('room_1.a-b')).toBe('room_1.a-b');
  });

  it('escapes what a Tessera name may not hold, byte by byte in UTF-8', () => {
    expect(escapeTopicLevel('a b')).toBe('a|20b');
    expect(escapeTopicLevel('%SYS%')).toBe('|25SYS|25');
    expect(escapeTopicLevel('x|y')).toBe('x|7Cy');
    expect(escapeTopicLevel('é')).toBe('|C3|A9');
    expect(escapeTopicLevel('')).toBe('|');
  });

  it('always yields a valid, non-system Tessera topic name that maps back to the level', () => {
    for (const level of ['sensors', 'a b', '%SYS%', 'x|y', 'é€😀', '', '|', '|20', 'ünïcode/ish', 'tab\there']) {
      const name = escapeTopicLevel(level);
      expect(name).toMatch(TOPIC_NAME_PATTERN);
      expect(name.startsWith('%')).toBe(false);
      expect(unescapeTopicLevel(name)).toBe(level);
    }
  });
});
