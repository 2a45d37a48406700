import type { ProduceContext } from '../hooks/message-hooks';
import type { MessageInput } from '../message/message-input';
import type { Broker } from './broker';
import { ProduceBatcher } from './produce-batcher';

function fakeBroker(refuse: (message: MessageInput) => boolean) {
  const calls: Array<{ topics: string[]; context: ProduceContext }> = [];
  const broker = {
    produce: async (messages: readonly MessageInput[], context: ProduceContext) => {
      calls.push({ topics: messages.map((m) => m.topic), context });
      if (messages.some(refuse)) throw new Error('refused');
      return [];
    },
  } as unknown as Broker;
  return { broker, calls };
}

const message = (topic: string): MessageInput => ({ topic, body: Buffer.from(topic) });

const produce = (batcher: ProduceBatcher, topic: string, clientId: string) =>
  new Promise<void>((resolve, reject) => batcher.submit(message(topic), clientId, (error) => (error === undefined ? resolve() : reject(error))));

describe('ProduceBatcher', () => {
  it('stores one client\'s publishes of the same turn in one produce call', async () => {
    const { broker, calls } = fakeBroker(() => false);
    const batcher = new ProduceBatcher(broker, 'mqtt');
    await Promise.all([produce(batcher, 'a', 'c1'), produce(batcher, 'b', 'c1'), produce(batcher, 'c', 'c2')]);
    expect(calls).toEqual([
      { topics: ['a', 'b'], context: { protocol: 'mqtt', clientId: 'c1' } },
      { topics: ['c'], context: { protocol: 'mqtt', clientId: 'c2' } },
    ]);
    await produce(batcher, 'd', 'c1');
    expect(calls).toHaveLength(3);
  });

  it('refuses only the message the store refused', async () => {
    const { broker } = fakeBroker((m) => m.topic === 'bad');
    const batcher = new ProduceBatcher(broker, 'mqtt');
    const results = await Promise.allSettled([produce(batcher, 'a', 'c1'), produce(batcher, 'bad', 'c1'), produce(batcher, 'b', 'c1')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('calls submit\'s callback once per message: without an argument when stored, with the error when refused', async () => {
    const { broker, calls } = fakeBroker((m) => m.topic === 'bad');
    const batcher = new ProduceBatcher(broker, 'amqp');
    const outcomes: Array<[string, unknown]> = [];
    await new Promise<void>((resolve) => {
      const done = (topic: string) => (error?: unknown) => {
        outcomes.push([topic, error]);
        if (outcomes.length === 3) resolve();
      };
      for (const topic of ['a', 'bad', 'b']) batcher.submit(message(topic), 'c1', done(topic));
    });
    expect(outcomes).toEqual([
      ['a', undefined],
      ['bad', new Error('refused')],
      ['b', undefined],
    ]);
    // One batch, then each message alone once the batch was refused.
    expect(calls.map((call) => call.topics)).toEqual([['a', 'bad', 'b'], ['a'], ['bad'], ['b']]);
  });
});
