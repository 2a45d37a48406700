import type { ReceivedMessage } from '@tessera/client';
import { formatMessageTable } from './format-message-table';

function stored(queueOffset: number, tag: string | undefined, keys: string[], body: string): ReceivedMessage {
  return {
    msgId: `ID${queueOffset}`,
    topic: 'orders',
    queueId: 1,
    queueOffset,
    commitLogOffset: 0,
    storeTimestamp: Date.UTC(2025, 2, 1, 12, 0, queueOffset),
    bornTimestamp: 0,
    body: Buffer.from(body),
    tag,
    keys,
    properties: {},
    flag: 0,
    reconsumeTimes: 0,
  };
}

describe('formatMessageTable', () => {
  it('aligns a header and a row per message, then counts them', () => {
    expect(formatMessageTable([stored(7, 'TagA', ['order-1', 'order-2'], 'hello'), stored(10, undefined, [], '')])).toEqual([
      'MSG ID  QUEUE  OFFSET  STORED                    TAG   KEYS             BYTES',
      'ID7     1      7       2025-03-01T12:00:07.000Z  TagA  order-1,order-2  5',
      'ID10    1      10      2025-03-01T12:00:10.000Z  -     -                0',
      '2 message(s)',
    ]);
  });

  it('prints only the header and the count when nothing was found', () => {
    expect(formatMessageTable([])).toEqual(['MSG ID  QUEUE  OFFSET  STORED  TAG  KEYS  BYTES', '0 message(s)']);
  });
});
