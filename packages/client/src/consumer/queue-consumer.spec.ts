import type { PullRequest, PullResponse, WireStoredMessage } from '@tessera/wire';
import type { BrokerConnection } from '../connection/broker-connection';
import type { ReceivedMessage } from '../message/received-message';
import { waitFor } from '../testing/wait-for';
import { QueueConsumer, type QueueConsumerSettings } from './queue-consumer';

function stored(queueOffset: number): WireStoredMessage {
  return {
    msgId: `id${queueOffset}`,
    topic: 't',
    queueId: 0,
    queueOffset,
    commitLogOffset: 0,
    storeTimestamp: 0,
    bornTimestamp: 0,
    flag: 0,
    reconsumeTimes: 0,
    keys: [],
    properties: {},
    body: Buffer.from(`m${queueOffset}`),
  };
}

describe('QueueConsumer', () => {
  it('has the pull for the next batch waiting at the broker while the listener works', async () => {
    const pulls: Array<{ offset: number; answer(response: PullResponse): void }> = [];
    const connection = {
      request: (_code: number, _codec: unknown, request: PullRequest) =>
        new Promise<PullResponse>((answer) => pulls.push({ offset: request.offset, answer })),
    } as unknown as BrokerConnection;
    const delivered: string[] = [];
    let releaseListener = (): void => undefined;
    const settings: QueueConsumerSettings = {
      connection,
      group: 'g',
      topic: 't',
      queueId: 0,
      subscription: undefined,
      listener: async (messages: ReceivedMessage[]) => {
        delivered.push(...messages.map((m) => m.body.toString()));
        await new Promise<void>((resolve) => (releaseListener = resolve));
        return 'SUCCESS' as const;
      },
      consumeMode: 'CONCURRENT',
      handOverFailures: true,
      consumeBatchSize: 32,
      pullBatchSize: 32,
      longPollMs: 1000,
      redeliveryDelayMs: 10,
      maxRedeliveries: 1,
      requestTimeoutMs: 1000,
      onError: () => undefined,
    };
    const consumer = new QueueConsumer(settings, 0, undefined);
    consumer.start();
    try {
      await waitFor(() => pulls.length === 1, 'the first pull');
      pulls[0]!.answer({ status: 'FOUND', nextOffset: 2, minOffset: 0, maxOffset: 2, messages: [stored(0), stored(1)] });
      await waitFor(() => delivered.length === 2, 'the first batch');
      expect(pulls.map((p) => p.offset)).toEqual([0, 2]);
      pulls[1]!.answer({ status: 'FOUND', nextOffset: 3, minOffset: 0, maxOffset: 3, messages: [stored(2)] });
      releaseListener();
      await waitFor(() => delivered.length === 3, 'the second batch');
      expect(delivered).toEqual(['m0', 'm1', 'm2']);
      expect(consumer.consumedOffset).toBe(2);
      expect(pulls.map((p) => p.offset)).toEqual([0, 2, 3]);
      releaseListener();
      await waitFor(() => consumer.consumedOffset === 3, 'the second batch consumed');
    } finally {
      await consumer.stop();
    }
  });
});
