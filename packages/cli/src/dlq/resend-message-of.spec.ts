import type { ReceivedMessage } from '@tessera/client';
import { SystemProperties } from '@tessera/kernel';
import { resendMessageOf } from './resend-message-of';

function deadLetter(properties: Record<string, string>, tag?: string): ReceivedMessage {
  return {
    msgId: 'dlq-1',
    topic: '%DLQ%billing',
    queueId: 0,
    queueOffset: 0,
    commitLogOffset: 0,
    storeTimestamp: 0,
    bornTimestamp: 0,
    body: Buffer.from('payload'),
    tag,
    keys: ['k-1'],
    properties,
    flag: 0,
    reconsumeTimes: 16,
  };
}

describe('resendMessageOf', () => {
  it('sends the message to its original topic with what its producer set, and nothing the retry plugin added', () => {
    const message = resendMessageOf(
      deadLetter(
        {
          trace: 't-1',
          [SystemProperties.REAL_TOPIC]: 'orders',
          [SystemProperties.ORIGIN_MSG_ID]: 'origin-1',
          [SystemProperties.FAILURE_COUNT]: '17',
          [SystemProperties.FAILURE_REASON]: 'boom',
        },
        'paid',
      ),
    );
    expect(message).toEqual({ topic: 'orders', body: Buffer.from('payload'), tag: 'paid', keys: ['k-1'], properties: { trace: 't-1' } });
  });

  it('refuses a message that does not say where it came from', () => {
    expect(() => resendMessageOf(deadLetter({}))).toThrow('message dlq-1 does not say which topic it came from: it cannot be resent');
  });
});
