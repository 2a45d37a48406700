import { SystemProperties, type AppendMessage } from '@tessera/kernel';
import { DelayTopic } from './delay-topic';
import { parkMessage } from './park-message';

const NOW = 1_700_000_000_000;
const DAY_MS = 86_400_000;

function message(properties: Record<string, string>): AppendMessage {
  return { topic: 'orders', queueId: 3, body: Buffer.from('b'), tag: 'T', keys: ['k'], properties, bornTimestamp: NOW - 5, flag: 0, reconsumeTimes: 0 };
}

describe('parkMessage', () => {
  it('moves the message to the delay topic with where it belongs and when it is due, the request removed', () => {
    const asked = { [SystemProperties.DELAY_MS]: '2500', color: 'red' };
    const parked = message(asked);
    parkMessage(parked, NOW + 2500, NOW, DAY_MS);
    expect(parked).toEqual({
      ...message({}),
      topic: DelayTopic.NAME,
      queueId: DelayTopic.QUEUE_ID,
      properties: { color: 'red', [SystemProperties.REAL_TOPIC]: 'orders', [SystemProperties.REAL_QUEUE_ID]: '3', [DelayTopic.DUE_AT]: String(NOW + 2500) },
    });
    expect(asked).toEqual({ [SystemProperties.DELAY_MS]: '2500', color: 'red' });
  });

  it('keeps a real topic the message already carried, and marks one due past rollAfterMs to be parked again', () => {
    const parked = message({ [SystemProperties.DELIVER_AT]: String(NOW + 3 * DAY_MS), [SystemProperties.REAL_TOPIC]: 'origin', [SystemProperties.REAL_QUEUE_ID]: '1' });
    parked.topic = '%RETRY%g';
    parkMessage(parked, NOW + 3 * DAY_MS, NOW, DAY_MS);
    expect(parked.properties).toEqual({
      [DelayTopic.OUTER_REAL_TOPIC]: 'origin',
      [DelayTopic.OUTER_REAL_QUEUE_ID]: '1',
      [SystemProperties.REAL_TOPIC]: '%RETRY%g',
      [SystemProperties.REAL_QUEUE_ID]: '3',
      [DelayTopic.DUE_AT]: String(NOW + 3 * DAY_MS),
      [DelayTopic.REPARK_AT]: String(NOW + DAY_MS),
    });
  });
});
