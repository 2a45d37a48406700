import type { ReceivedMessage } from '@tessera/client';
import { formatReceivedMessage } from './format-received-message';

const message: ReceivedMessage = {
  msgId: '7F00000100000000000004D2',
  topic: 'orders',
  queueId: 3,
  queueOffset: 42,
  commitLogOffset: 1234,
  body: Buffer.from('line one\nline two'),
  tag: 'TagA',
  keys: ['k1', 'k2'],
  properties: { region: 'eu' },
  bornTimestamp: 1,
  storeTimestamp: 2,
  flag: 0,
  reconsumeTimes: 0,
};

describe('formatReceivedMessage', () => {
  it('prints topic, queue, offset, tag, keys and body on one line', () => {
    expect(formatReceivedMessage(message, false)).toBe('orders\tqueue=3\toffset=42\ttag=TagA\tkeys=k1,k2\tbody="line one\\nline two"');
  });

  it('prints one JSON object with --json', () => {
    expect(JSON.parse(formatReceivedMessage({ ...message, tag: undefined, keys: [] }, true))).toEqual({
      topic: 'orders',
      queueId: 3,
      queueOffset: 42,
      msgId: '7F00000100000000000004D2',
      tag: null,
      keys: [],
      properties: { region: 'eu' },
      body: 'line one\nline two',
    });
  });
});
