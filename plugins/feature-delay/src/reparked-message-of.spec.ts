import { SystemProperties, type StoredMessage } from '@tessera/kernel';
import { DelayTopic } from './delay-topic';
import { reparkedMessageOf } from './reparked-message-of';

const NOW = 1_700_000_000_000;
const DAY_MS = 86_400_000;

describe('reparkedMessageOf', () => {
  const parked: StoredMessage = {
    msgId: 'FIRST',
    topic: DelayTopic.NAME,
    queueId: 0,
    queueOffset: 3,
    commitLogOffset: 300,
    storeSize: 90,
    body: Buffer.from('b'),
    tag: 'T',
    keys: ['k'],
    properties: { [SystemProperties.REAL_TOPIC]: 'orders', [DelayTopic.DUE_AT]: String(NOW + 2.5 * DAY_MS), [DelayTopic.REPARK_AT]: String(NOW) },
    bornTimestamp: NOW - DAY_MS,
    storeTimestamp: NOW - DAY_MS,
    flag: 0,
    reconsumeTimes: 0,
  };

  it('copies the message into the delay topic under its first id, parked again a roll later while still far off', () => {
    const copy = reparkedMessageOf(parked, NOW + 2.5 * DAY_MS, NOW, DAY_MS);
    expect(copy).toEqual({
      topic: DelayTopic.NAME,
      queueId: 0,
      body: parked.body,
      tag: 'T',
      keys: ['k', 'DELAY:FIRST'],
      properties: { ...parked.properties, [DelayTopic.PARKED_ID]: 'FIRST', [DelayTopic.REPARK_AT]: String(NOW + DAY_MS) },
      bornTimestamp: NOW - DAY_MS,
      flag: 0,
      reconsumeTimes: 0,
    });
  });

  it('fires at the due time once that is within a roll, and keeps the first id through further copies', () => {
    const copy = reparkedMessageOf(parked, NOW + 2.5 * DAY_MS, NOW + 2 * DAY_MS, DAY_MS);
    expect(copy.properties).not.toHaveProperty(DelayTopic.REPARK_AT);
    const stored = { ...parked, msgId: 'SECOND', keys: copy.keys!, properties: copy.properties! };
    expect(reparkedMessageOf(stored, NOW + 2.5 * DAY_MS, NOW, DAY_MS).keys).toEqual(['k', 'DELAY:FIRST']);
  });
});
