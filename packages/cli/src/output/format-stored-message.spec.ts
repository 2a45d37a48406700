import type { ReceivedMessage } from '@tessera/client';
import { formatStoredMessage } from './format-stored-message';

const message: ReceivedMessage = {
  msgId: 'C0A8000100000000000004D2',
  topic: 'orders',
  queueId: 3,
  queueOffset: 42,
  commitLogOffset: 1234,
  storeTimestamp: Date.UTC(2025, 2, 1, 12, 0, 0, 123),
  bornTimestamp: Date.UTC(2025, 2, 1, 12, 0, 0, 100),
  body: Buffer.from('hello'),
  tag: 'TagA',
  keys: ['k1', 'k2'],
  properties: { region: 'eu', price: '12.5' },
  flag: 0,
  reconsumeTimes: 1,
};

describe('formatStoredMessage', () => {
  it('prints one aligned field per line', () => {
    expect(formatStoredMessage(message, false).split('\n')).toEqual([
      'msgId:      C0A8000100000000000004D2',
      'topic:      orders',
      'queue:      3',
      'offset:     42',
      'stored:     2025-03-01T12:00:00.123Z',
      'born:       2025-03-01T12:00:00.100Z',
      'tag:        TagA',
      'keys:       k1,k2',
      'properties: region=eu, price=12.5',
      'reconsumes: 1',
      'body:       hello',
    ]);
  });

  it('labels a binary body as base64', () => {
    const lines = formatStoredMessage({ ...message, body: Buffer.from([0, 1, 2]) }, false).split('\n');
    expect(lines.at(-1)).toBe('body (base64): AAEC');
  });

  it('prints JSON with ISO times and the body encoding', () => {
    expect(JSON.parse(formatStoredMessage({ ...message, tag: undefined }, true))).toEqual({
      msgId: 'C0A8000100000000000004D2',
      topic: 'orders',
      queueId: 3,
      queueOffset: 42,
      commitLogOffset: 1234,
      storeTime: '2025-03-01T12:00:00.123Z',
      bornTime: '2025-03-01T12:00:00.100Z',
      tag: null,
      keys: ['k1', 'k2'],
      properties: { region: 'eu', price: '12.5' },
      reconsumeTimes: 1,
      flag: 0,
      bodyEncoding: 'utf8',
      body: 'hello',
    });
  });
});
