import { SystemProperties, type AppendMessage, type StoredMessage } from '@tessera/kernel';
import { DelayTopic } from './delay-topic';
import { deliveredMessageOf } from './delivered-message-of';
import { parkMessage } from './park-message';

const NOW = 1_700_000_000_000;

function stored(message: AppendMessage, msgId: string): StoredMessage {
  return { ...message, msgId, queueOffset: 7, commitLogOffset: 700, storeSize: 100, storeTimestamp: NOW, keys: message.keys ?? [], properties: message.properties ?? {} };
}

describe('deliveredMessageOf', () => {
  const asked: AppendMessage = {
    topic: '%RETRY%g',
    queueId: 2,
    body: Buffer.from('body'),
    tag: 'TagA',
    keys: ['order-1'],
    properties: { [SystemProperties.DELAY_LEVEL]: '3', [SystemProperties.REAL_TOPIC]: 'orders', [SystemProperties.REAL_QUEUE_ID]: '5', color: 'red' },
    bornTimestamp: NOW - 10,
    flag: 4,
    reconsumeTimes: 2,
  };

  it('gives back the message as it was sent, with the delivery key added', () => {
    const parked = { ...asked };
    parkMessage(parked, NOW + 10_000, NOW, 86_400_000);
    expect(deliveredMessageOf(stored(parked, 'AAAA'), 4)).toEqual({
      topic: '%RETRY%g',
      queueId: 2,
      body: Buffer.from('body'),
      tag: 'TagA',
      keys: ['order-1', 'DELAY:AAAA'],
      properties: { [SystemProperties.REAL_TOPIC]: 'orders', [SystemProperties.REAL_QUEUE_ID]: '5', color: 'red' },
      bornTimestamp: NOW - 10,
      flag: 4,
      reconsumeTimes: 2,
    });
  });

  it('lets the kernel pick a queue when the topic no longer has the one it was meant for', () => {
    const parked = { ...asked };
    parkMessage(parked, NOW + 10_000, NOW, 86_400_000);
    expect(deliveredMessageOf(stored(parked, 'AAAA'), 2).queueId).toBeUndefined();
    expect(deliveredMessageOf(stored(parked, 'AAAA'), undefined).queueId).toBeUndefined();
  });

  it('names a copy parked again by its first parked id, and carries the key once', () => {
    const parked = { ...asked };
    parkMessage(parked, NOW + 10_000, NOW, 86_400_000);
    const copy = stored({ ...parked, keys: ['order-1', 'DELAY:FIRST'], properties: { ...parked.properties, [DelayTopic.PARKED_ID]: 'FIRST' } }, 'SECOND');
    expect(deliveredMessageOf(copy, 4).keys).toEqual(['order-1', 'DELAY:FIRST']);
    expect(deliveredMessageOf(copy, 4).properties).not.toHaveProperty(DelayTopic.PARKED_ID);
  });
});
